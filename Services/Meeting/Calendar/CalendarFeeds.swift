import Audit
import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// Calendar feed capabilities: a person's feed URLs for calendar apps, which cannot send a header.
/// The URL holds a random capability (`gmcal_…`, kept only as its SHA-256) that reads that one feed
/// and nothing else — no bearer token ever sits in a URL. A feed reads with its owner's current
/// role and scope from the directory, so a transferred person's old street feed goes empty; the
/// owner lists and revokes theirs, and creating or revoking one is in meetingd's audit chain.
struct CalendarFeeds: Sendable {
    let pool: PostgresPool
    let clock: any WallClock
    let chain: String

    enum Kind: String, Codable, Sendable {
        /// One street's meetings: for the street's officers, its agency heads and the command centre.
        case street
        /// The meetings of every committee the person sits on.
        case member
    }

    struct Request: Decodable {
        let kind: Kind
        let street: String?
        let label: String
    }

    struct Feed: Encodable, Sendable {
        let id: UUID
        let kind: Kind
        let street: String?
        let label: String
        let createdAt: Date
        let lastReadAt: Date?
        /// Shown once, when the feed is made.
        var url: String?

        static let columns = "id, kind, street_code, label, created_at, last_read_at"

        init(row: PostgresRow) throws {
            id = try row.decode(at: 0)
            kind = Kind(rawValue: try row.decode(at: 1)) ?? .member
            street = try row.decode(String?.self, at: 2)
            label = try row.decode(at: 3)
            createdAt = try row.decode(at: 4)
            lastReadAt = try row.decode(Date?.self, at: 5)
        }
    }

    static func target(_ id: UUID) -> String { "calendar_feed:\(id.uuidString.lowercased())" }

    /// A new feed for `principal`; its capability is in the answer's `url` and nowhere else.
    func create(_ request: Request, for principal: Principal, baseURL: String) async throws -> Feed {
        let label = request.label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...60).contains(label.count) else {
            throw Problem.validation([.init(field: "label", message: "1 to 60 characters, to tell your feeds apart (e.g. 手机日历)")])
        }
        switch request.kind {
        case .street:
            guard let street = request.street else { throw Problem.validation([.init(field: "street", message: "a street feed names its street")]) }
            try MeetingStore.check(principal, street: street, arranging: false)
        case .member:
            guard principal.role == .agencyHead else { throw Problem.forbidden("only agency heads sit on committees") }
            guard request.street == nil else {
                throw Problem.validation([.init(field: "street", message: "a member feed covers every committee of yours: no street")])
            }
        }
        let capability = OpaqueSecret.make("gmcal_")
        let now = clock.now()
        let id = UUID.v7()
        var feed = try await pool.transaction { [chain] connection -> Feed in
            if let street = request.street, try connection.query("SELECT 1 FROM geo.streets WHERE code = $1", [street]).count == 0 {
                throw Problem.notFound("no street \(street)")
            }
            let live =
                try connection.query(
                    "SELECT count(*) FROM meeting.calendar_feeds WHERE subject = $1 AND revoked_at IS NULL", [principal.subject]
                ).first?.decode(Int.self, at: 0) ?? 0
            guard live < Self.perPerson else { throw Problem.conflict("too-many-feeds", "revoke a feed first: at most \(Self.perPerson) per person") }
            let row = try connection.query(
                """
                INSERT INTO meeting.calendar_feeds (id, capability_hash, subject, kind, street_code, label, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(Feed.columns)
                """, [id, OpaqueSecret.hash(capability), principal.subject, request.kind.rawValue, request.street, label, now])
            try AuditLog.append(
                chain: chain, actor: principal, action: "calendar_feed.create", target: Self.target(id), reason: request.kind.rawValue, at: now,
                on: connection)
            return try Feed(row: row[0])
        }
        feed.url = "\(baseURL)/v1/feeds/\(capability).ics"
        return feed
    }

    /// At most this many live feeds per person: a phone, a desktop, a tablet and a few to spare.
    static let perPerson = 10

    func list(for principal: Principal) async throws -> [Feed] {
        try await pool.withConnection { connection in
            try connection.query(
                "SELECT \(Feed.columns) FROM meeting.calendar_feeds WHERE subject = $1 AND revoked_at IS NULL ORDER BY created_at",
                [principal.subject]
            ).map(Feed.init(row:))
        }
    }

    /// Revokes one of the caller's own feeds; another's is not found.
    func revoke(_ id: UUID, by principal: Principal) async throws {
        let now = clock.now()
        try await pool.transaction { [chain] connection in
            let changed = try connection.execute(
                "UPDATE meeting.calendar_feeds SET revoked_at = $3 WHERE id = $1 AND subject = $2 AND revoked_at IS NULL", [id, principal.subject, now])
            guard changed == 1 else { throw Problem.notFound("no feed \(id.uuidString.lowercased()) of yours") }
            try AuditLog.append(chain: chain, actor: principal, action: "calendar_feed.revoke", target: Self.target(id), at: now, on: connection)
        }
    }

    /// The live feed a capability opens, with its owner as the directory has them now; nil for an
    /// unknown or revoked capability or an owner no longer in the directory.
    func open(_ capability: String) async throws -> (Feed, Principal)? {
        guard capability.hasPrefix("gmcal_"), capability.count < 100 else { return nil }
        return try await pool.withConnection { [clock] connection in
            guard
                let row = try connection.query(
                    """
                    WITH found AS (
                        SELECT f.id, f.kind, f.street_code, f.label, f.created_at, f.last_read_at, \(DirectoryPrincipal.columns)
                        FROM meeting.calendar_feeds f JOIN geo.accounts a ON a.subject = f.subject
                        WHERE f.capability_hash = $1 AND f.revoked_at IS NULL
                    ), touched AS (
                        -- when a feed was last read, to the minute: a calendar app polling is not a write each time
                        UPDATE meeting.calendar_feeds f SET last_read_at = $2 FROM found
                        WHERE f.id = found.id AND (found.last_read_at IS NULL OR found.last_read_at < $2 - interval '1 minute')
                    )
                    SELECT * FROM found
                    """, [OpaqueSecret.hash(capability), clock.now()]
                ).first,
                let owner = try DirectoryPrincipal.decode(row, from: 6)
            else { return nil }
            return (try Feed(row: row), owner)
        }
    }
}

import Audit
import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// Open311 API keys (`api_key`): issued by an administrator to one client — a district app, a
/// hotline system — and bound to one account of the directory, whose current role and scope the
/// key acts with. Good on the Open311 routes only (nowhere else takes an API key), kept as their
/// SHA-256, revocable; issuing and revoking are in patrold's audit chain.
struct Open311Keys: APIKeys {
    let pool: PostgresPool
    let clock: any WallClock
    let chain: String

    struct Issue: Decodable {
        let subject: String
        let client: String
    }

    struct Key: Encodable, Sendable {
        let id: UUID
        let subject: String
        let client: String
        let createdBy: String
        let createdAt: Date
        let lastUsedAt: Date?
        /// Shown once, when the key is issued.
        var apiKey: String?

        static let columns = "id, subject, client, created_by, created_at, last_used_at"

        init(row: PostgresRow) throws {
            id = try row.decode(at: 0)
            subject = try row.decode(at: 1)
            client = try row.decode(at: 2)
            createdBy = try row.decode(at: 3)
            createdAt = try row.decode(at: 4)
            lastUsedAt = try row.decode(Date?.self, at: 5)
        }
    }

    static func target(_ id: UUID) -> String { "open311_key:\(id.uuidString.lowercased())" }

    func issue(_ request: Issue, by admin: Principal) async throws -> Key {
        let client = request.client.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(client.count) else {
            throw Problem.validation([.init(field: "client", message: "1 to 80 characters naming the client (e.g. 区12345热线)")])
        }
        let secret = OpaqueSecret.make("gm311_")
        let now = clock.now()
        var key = try await pool.transaction { [chain] connection -> Key in
            guard let role = try connection.query("SELECT role FROM geo.accounts WHERE subject = $1", [request.subject]).first?.decode(String.self, at: 0)
            else { throw Problem.validation([.init(field: "subject", message: "no account \(request.subject) in the directory")]) }
            guard role != Role.service.rawValue, role != Role.admin.rawValue else {
                throw Problem.validation([.init(field: "subject", message: "a key acts as a person of the directory, not a service or an administrator")])
            }
            let id = UUID.v7()
            let row = try connection.query(
                """
                INSERT INTO patrol.open311_keys (id, key_hash, subject, client, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING \(Key.columns)
                """, [id, OpaqueSecret.hash(secret), request.subject, client, admin.subject, now])
            try AuditLog.append(
                chain: chain, actor: admin, action: "open311_key.issue", target: Self.target(id), reason: "for \(request.subject)", at: now, on: connection)
            return try Key(row: row[0])
        }
        key.apiKey = secret
        return key
    }

    func list() async throws -> [Key] {
        try await pool.withConnection { connection in
            try connection.query("SELECT \(Key.columns) FROM patrol.open311_keys WHERE revoked_at IS NULL ORDER BY created_at").map(Key.init(row:))
        }
    }

    func revoke(_ id: UUID, by admin: Principal) async throws {
        let now = clock.now()
        try await pool.transaction { [chain] connection in
            guard try connection.execute("UPDATE patrol.open311_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", [id, now]) == 1 else {
                throw Problem.notFound("no live key \(id.uuidString.lowercased())")
            }
            try AuditLog.append(chain: chain, actor: admin, action: "open311_key.revoke", target: Self.target(id), at: now, on: connection)
        }
    }

    func principal(forKey key: String) async throws -> Principal? {
        guard key.hasPrefix("gm311_"), key.count < 100 else { return nil }
        return try await pool.withConnection { [clock] connection in
            try connection.query(
                """
                WITH found AS (
                    SELECT \(DirectoryPrincipal.columns), k.id, k.last_used_at
                    FROM patrol.open311_keys k JOIN geo.accounts a ON a.subject = k.subject
                    WHERE k.key_hash = $1 AND k.revoked_at IS NULL
                ), touched AS (
                    -- when a key was last used, to the minute: not a write on every request
                    UPDATE patrol.open311_keys k SET last_used_at = $2 FROM found
                    WHERE k.id = found.id AND (found.last_used_at IS NULL OR found.last_used_at < $2 - interval '1 minute')
                )
                SELECT * FROM found
                """, [OpaqueSecret.hash(key), clock.now()]
            ).first.flatMap { try DirectoryPrincipal.decode($0) }
        }
    }
}

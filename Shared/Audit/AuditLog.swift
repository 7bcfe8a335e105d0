import Crypto
import Foundation
import GridCore
import Postgres

/// The append-only, hash-chained audit log (`mesh.audit_log`): every change and every read of a
/// sensitive record — who, what, when, why, under which request.
///
/// Each daemon writes its own chain (so the chain never serialises the whole mesh): an entry's hash
/// covers the previous entry's hash and its own fields, so a changed, removed or inserted row breaks
/// the chain from that point on. Roles may insert and read their own chain; none may update or delete.
public enum AuditLog {
    /// One entry; encoded (for `GET /v1/audit`) without its hashes.
    public struct Entry: Sendable, Equatable, Encodable {
        public let chain: String
        public let seq: Int
        public let at: Date
        public let actor: String
        public let actorRole: String
        public let action: String
        public let target: String
        public let reason: String?
        public let requestID: String?
        public let previousHash: Data?
        public let hash: Data

        enum CodingKeys: String, CodingKey {
            case chain, seq, at, actor, actorRole, action, target, reason, requestID
        }

        init(row: PostgresRow) throws {
            chain = try row.decode(at: 0)
            seq = try row.decode(at: 1)
            at = try row.decode(at: 2)
            actor = try row.decode(at: 3)
            actorRole = try row.decode(at: 4)
            action = try row.decode(at: 5)
            target = try row.decode(at: 6)
            reason = try row.decode(String?.self, at: 7)
            requestID = try row.decode(String?.self, at: 8)
            previousHash = try row.decode(Data?.self, at: 9)
            hash = try row.decode(at: 10)
        }
    }

    /// Appends one entry to `chain` inside the caller's transaction.
    public static func append(
        chain: String, actor: Principal, action: String, target: String, reason: String? = nil, requestID: String? = nil, at time: Date,
        on connection: PostgresConnection
    ) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))", [chain])
        let last = try connection.query("SELECT seq, hash FROM mesh.audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1", [chain]).first
        let seq = (try last?.decode(Int.self, at: 0) ?? 0) + 1
        let previous = try last?.decode(Data.self, at: 1)
        let at = Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1000).rounded() / 1000)
        let hash = digest(
            previous: previous, chain: chain, seq: seq, at: at, actor: actor.subject, role: actor.role.rawValue, action: action, target: target,
            reason: reason, requestID: requestID)
        try connection.execute(
            """
            INSERT INTO mesh.audit_log (chain, seq, at, actor, actor_role, action, target, reason, request_id, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, [chain, seq, at, actor.subject, actor.role.rawValue, action, target, reason, requestID, previous, hash])
    }

    /// SHA-256 over the previous hash and the entry's fields, each length-prefixed so no two
    /// different entries share a byte string.
    static func digest(
        previous: Data?, chain: String, seq: Int, at: Date, actor: String, role: String, action: String, target: String, reason: String?,
        requestID: String?
    ) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous ?? Data())
        let fields = [chain, String(seq), RFC3339.format(at), actor, role, action, target, reason ?? "\u{0}", requestID ?? "\u{0}"]
        for field in fields {
            let bytes = Data(field.utf8)
            hasher.update(data: withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Data($0) })
            hasher.update(data: bytes)
        }
        return Data(hasher.finalize())
    }

    /// Entries of one chain, oldest first, after `seq`, filtered by exact target, action or actor.
    public static func entries(
        chain: String, target: String? = nil, action: String? = nil, actor: String? = nil, after seq: Int = 0, limit: Int,
        on connection: PostgresConnection
    ) throws -> [Entry] {
        try connection.query(
            """
            SELECT chain, seq, at, actor, actor_role, action, target, reason, request_id, prev_hash, hash FROM mesh.audit_log
            WHERE chain = $1 AND seq > $2 AND ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR action = $4) AND ($5::text IS NULL OR actor = $5)
            ORDER BY seq LIMIT $6
            """, [chain, seq, target, action, actor, limit]
        ).map(Entry.init(row:))
    }

    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public let chain: String
        public let seq: Int
        public let problem: String
        public var description: String { "\(chain) #\(seq): \(problem)" }
    }

    /// Recomputes every chain; returns where each one breaks (empty when all verify) and how many entries were checked.
    public static func verify(on connection: PostgresConnection) throws -> (checked: Int, breaks: [Break]) {
        var breaks: [Break] = []
        var checked = 0
        var chain = ""
        var expectedSeq = 1
        var previous: Data?
        var broken = false
        for row in try connection.query(
            "SELECT chain, seq, at, actor, actor_role, action, target, reason, request_id, prev_hash, hash FROM mesh.audit_log ORDER BY chain, seq")
        {
            let entry = try Entry(row: row)
            checked += 1
            if entry.chain != chain {
                chain = entry.chain
                expectedSeq = 1
                previous = nil
                broken = false
            }
            if broken { continue }
            let recomputed = digest(
                previous: previous, chain: entry.chain, seq: entry.seq, at: entry.at, actor: entry.actor, role: entry.actorRole, action: entry.action,
                target: entry.target, reason: entry.reason, requestID: entry.requestID)
            if entry.seq != expectedSeq {
                breaks.append(Break(chain: chain, seq: entry.seq, problem: "expected entry #\(expectedSeq): an entry is missing or was inserted"))
                broken = true
            } else if entry.previousHash != previous {
                breaks.append(Break(chain: chain, seq: entry.seq, problem: "does not link to the entry before it"))
                broken = true
            } else if recomputed != entry.hash {
                breaks.append(Break(chain: chain, seq: entry.seq, problem: "its contents were changed"))
                broken = true
            }
            previous = entry.hash
            expectedSeq += 1
        }
        return (checked, breaks)
    }
}

import Audit
import Crypto
import Daemon
import Foundation
import GridCore
import PersonalData
import Postgres

/// Persons a clue names, and vettingd's question about them. The ID number is turned into its
/// keyed HMAC (the lookup key reentryd and vettingd share) as soon as it arrives and is never
/// stored; the answer to a check is hit or no hit, to the listed services only, each audited.
public struct CluePersons: Sendable {
    let pool: PostgresPool
    let clock: any WallClock
    let chain: String
    /// nil when no lookup key is configured: the two endpoints then say so (503).
    let lookupKey: SymmetricKey?
    let clients: Set<String>

    public init(pool: PostgresPool, clock: any WallClock, chain: String, lookupKey: SymmetricKey?, clients: Set<String>) {
        self.pool = pool
        self.clock = clock
        self.chain = chain
        self.lookupKey = lookupKey
        self.clients = clients
    }

    public static let roles = ["suspect", "associate", "other"]

    func key() throws -> SymmetricKey {
        guard let lookupKey else {
            throw Problem(
                .serviceUnavailable, code: "lookup-key-missing", title: "No lookup key",
                detail: "patrold has no GRIDMESH_LOOKUP_KEY_FILE (or lookup-key credential): persons in clues cannot be matched")
        }
        return lookupKey
    }

    /// Ledger readers record that a clue names a person.
    public func name(_ nationalID: String, role: String, in clueID: UUID, by principal: Principal, requestID: String?) async throws {
        try ClueLedger.requireReader(principal)
        var errors: [Problem.FieldError] = []
        let id = NationalID(nationalID)
        if id == nil { errors.append(.init(field: "national_id", message: "is not a valid 18-character resident ID number")) }
        if !Self.roles.contains(role) { errors.append(.init(field: "role", message: "must be one of \(Self.roles.joined(separator: ", "))")) }
        guard errors.isEmpty, let id else { throw Problem.validation(errors) }
        let hash = id.lookupHash(using: try key())
        let now = clock.now()
        try await pool.transaction { [chain] connection in
            guard try connection.query("SELECT 1 FROM patrol.clues WHERE id = $1", [clueID]).count == 1 else { throw Problem.notFound("no such clue") }
            let inserted = try connection.execute(
                """
                INSERT INTO patrol.clue_persons (clue_id, id_number_hmac, role, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (clue_id, id_number_hmac) DO NOTHING
                """, [clueID, hash, role, principal.subject, now])
            if inserted == 1 {
                try AuditLog.append(
                    chain: chain, actor: principal, action: "clue.name_person", target: "clue:\(clueID.uuidString.lowercased())", reason: role,
                    requestID: requestID, at: now, on: connection)
            }
        }
    }

    /// vettingd asks: does any clue name the person with this lookup hash?
    public func check(lookupHash hex: String, by principal: Principal, requestID: String?) async throws -> Bool {
        guard principal.role == .service, clients.contains(principal.subject) else { throw Problem.forbidden("only the vetting service asks the clue ledger") }
        _ = try key()
        guard let hash = NationalID.lookupHash(hex: hex.lowercased()) else {
            throw Problem.validation([.init(field: "id_number_hmac", message: "must be 64 hexadecimal characters (HMAC-SHA256 with the shared lookup key)")])
        }
        let now = clock.now()
        return try await pool.transaction { [chain] connection in
            let hit = try connection.query("SELECT EXISTS (SELECT 1 FROM patrol.clue_persons WHERE id_number_hmac = $1)", [hash]).first!.decode(
                Bool.self, at: 0)
            try AuditLog.append(
                chain: chain, actor: principal, action: "clue.check", target: "lookup:\(NationalID.hex(hash))", reason: hit ? "hit" : "no hit",
                requestID: requestID, at: now, on: connection)
            return hit
        }
    }
}

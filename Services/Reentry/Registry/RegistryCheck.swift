import Audit
import Daemon
import Foundation
import GridCore
import PersonalData
import Postgres

/// The hit/no-hit question vettingd asks before an election: is there a case — open, or closed
/// and still retained — for the person whose ID number has this keyed HMAC? The answer is one
/// boolean; only the listed service accounts may ask; every question is audited.
public struct RegistryCheck: Sendable {
    let pool: PostgresPool
    let clock: any WallClock
    let chain: String
    /// Service subjects allowed to ask (`GRIDMESH_REGISTRY_CLIENTS`, default `svc-vettingd`).
    let clients: Set<String>

    public init(pool: PostgresPool, clock: any WallClock, chain: String, clients: Set<String>) {
        self.pool = pool
        self.clock = clock
        self.chain = chain
        self.clients = clients
    }

    public func check(lookupHash hex: String, by principal: Principal, requestID: String?) async throws -> Bool {
        guard principal.role == .service, clients.contains(principal.subject) else {
            throw Problem.forbidden("only the vetting service asks the reentry registry")
        }
        guard let hash = NationalID.lookupHash(hex: hex.lowercased()) else {
            throw Problem.validation([.init(field: "id_number_hmac", message: "must be 64 hexadecimal characters (HMAC-SHA256 with the shared lookup key)")])
        }
        let now = clock.now()
        return try await pool.transaction { [chain] connection in
            let hit = try connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM reentry.persons p JOIN reentry.cases c ON c.id = p.case_id
                               WHERE p.id_number_hmac = $1 AND c.state IN ('open', 'closed'))
                """, [hash]
            ).first!.decode(Bool.self, at: 0)
            try AuditLog.append(
                chain: chain, actor: principal, action: "registry.check", target: "lookup:\(NationalID.hex(hash))", reason: hit ? "hit" : "no hit",
                requestID: requestID, at: now, on: connection)
            return hit
        }
    }
}

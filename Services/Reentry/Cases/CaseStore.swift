import Audit
import Crypto
import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import PersonalData
import Postgres

/// reentryd's cases: opening them, reading them within caseload scope (every read of a person
/// audited), and the changes staff make — reallocation, reassessment, deferral, legal hold,
/// the support plan.
public struct CaseStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let keys: PersonalDataKeys
    let sealer: Sealer
    let timeZone: TimeZone
    /// The audit chain: the daemon's name.
    let chain: String
    let policy: SupervisionPolicy

    public init(
        pool: PostgresPool, bus: EventBus, clock: any WallClock, keys: PersonalDataKeys, timeZone: TimeZone, chain: String, policy: SupervisionPolicy
    ) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.keys = keys
        self.sealer = Sealer(keys: keys)
        self.timeZone = timeZone
        self.chain = chain
        self.policy = policy
    }

    /// The case if it is within the caller's reach, locked for update when asked; 404 otherwise
    /// (a case outside one's caseload does not exist for them).
    func fetch(_ id: UUID, access: CaseAccess, forUpdate: Bool = false, on connection: PostgresConnection) throws -> SupervisionCase {
        guard
            let found = try connection.query(
                """
                SELECT \(SupervisionCase.columns) FROM reentry.cases c
                WHERE c.id = $1 AND c.state <> 'purged' AND \(CaseAccess.predicate(alias: "c", reach: 2, subject: 3))
                \(forUpdate ? "FOR UPDATE" : "")
                """, [id, access.reach.rawValue, access.subject]
            ).first.map(SupervisionCase.init(row:))
        else { throw Problem.notFound("no case of yours with this id") }
        return found
    }

    func audit(
        _ principal: Principal, _ action: String, _ supervisionCase: SupervisionCase, reason: String? = nil, requestID: String?,
        on connection: PostgresConnection
    )
        throws
    {
        let now = clock.now()
        try AuditLog.append(
            chain: chain, actor: principal, action: action, target: "case:\(supervisionCase.caseRef)",
            reason: try reason.map { try auditReason($0, of: supervisionCase.id, at: now, on: connection) }, requestID: requestID, at: now,
            on: connection)
    }

    /// The reason as the chain keeps it: a keyed digest (`hmac:…`); the text itself goes to
    /// `reentry.audit_reasons`, with the case, so the retention purge takes it.
    func auditReason(_ reason: String, of caseID: UUID, at now: Date, on connection: PostgresConnection) throws -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("audit-reason:\(caseID.uuidString.lowercased()):\(reason)".utf8), using: keys.lookup)
        let digest = "hmac:" + mac.map { String(format: "%02x", $0) }.joined()
        try connection.execute(
            "INSERT INTO reentry.audit_reasons (case_id, digest, reason, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [caseID, digest, reason, now])
        return digest
    }
}

/// The time rules of supervision that a deployment sets.
public struct SupervisionPolicy: Sendable {
    /// Days an overdue contact may stay overdue before the supervisor is alerted and patrold is asked to visit.
    public var graceDays: Int
    /// How often a case's level is reassessed.
    public var reassessmentMonths: Int
    /// How long after a case ends its personal data is kept.
    public var retentionDays: Int
    /// Cases purged per run.
    public var purgeBatch: Int

    public init(graceDays: Int = 3, reassessmentMonths: Int = 3, retentionDays: Int = 1826, purgeBatch: Int = 100) {
        self.graceDays = graceDays
        self.reassessmentMonths = reassessmentMonths
        self.retentionDays = retentionDays
        self.purgeBatch = purgeBatch
    }
}

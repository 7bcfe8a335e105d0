import Audit
import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Logging
import Postgres
import ServiceLifecycle

/// Retention (DESIGN.md §4): a configured time after a case ends, everything personal about it is
/// deleted — the person, contacts, support plan, deferrals, alerts, assignments, levels — in
/// batches, skipping cases under legal hold. What remains is the case row emptied of its grid and
/// a destruction record saying what existed and when it went.
public struct RetentionPurge: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone
    let chain: String
    let policy: SupervisionPolicy

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock, timeZone: TimeZone, chain: String, policy: SupervisionPolicy) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.timeZone = timeZone
        self.chain = chain
        self.policy = policy
    }

    /// The tables whose rows about a case are destroyed, in order.
    static let personalTables = [
        "persons", "contacts", "support_items", "deferrals", "alerts", "overdue_marks", "visit_requests", "assignments", "levels", "audit_reasons",
    ]

    /// Purges one batch; returns how many cases it purged.
    @discardableResult
    public func purgeDue() async throws -> Int {
        let now = clock.now()
        let bus = bus
        let policy = policy
        let chain = chain
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let cutoff = today.adding(days: -policy.retentionDays)
        return try await pool.transaction { connection in
            let due = try connection.query(
                """
                SELECT id, case_ref, kind, community_code, starts_on, ends_on FROM reentry.cases
                WHERE state = 'closed' AND NOT legal_hold AND ends_on < $1 ORDER BY ends_on, id LIMIT $2 FOR UPDATE SKIP LOCKED
                """, [cutoff, policy.purgeBatch])
            let system = Principal(subject: chain, role: .service, scope: .district)
            for row in due {
                let id: UUID = try row.decode(at: 0)
                let caseRef: String = try row.decode(at: 1)
                var removed: [String: Int] = [:]
                for table in Self.personalTables {
                    removed[table] = try connection.execute("DELETE FROM reentry.\(table) WHERE case_id = $1", [id])
                }
                try connection.execute(
                    "UPDATE reentry.cases SET state = 'purged', purged_at = $2, residence_grid = NULL, legal_hold_reason = NULL WHERE id = $1", [id, now])
                try connection.execute(
                    """
                    INSERT INTO reentry.destructions (case_id, case_ref, kind, community_code, starts_on, ends_on, retention_days, removed, purged_at, purged_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """,
                    [
                        id, caseRef, try row.decode(String.self, at: 2), try row.decode(String.self, at: 3), try row.decode(CalendarDate.self, at: 4),
                        try row.decode(CalendarDate.self, at: 5), policy.retentionDays, try JSONB(encoding: removed), now, chain,
                    ])
                try AuditLog.append(
                    chain: chain, actor: system, action: "case.purge", target: "case:\(caseRef)", reason: "retention of \(policy.retentionDays) days ended",
                    at: now, on: connection)
                try bus.publish(
                    "case.purged", ReentryEvents.CaseEnded(caseId: caseRef, communityCode: try row.decode(at: 3), state: "purged"), at: now, on: connection)
            }
            return due.count
        }
    }
}

/// Runs the purge hourly (and at start), a batch at a time until nothing is due.
struct RetentionSchedule: Service {
    let purge: RetentionPurge
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "retention purge failed") {
            while try await purge.purgeDue() == purge.policy.purgeBatch {}
        }
    }
}

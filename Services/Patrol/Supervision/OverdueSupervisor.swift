import Daemon
import EventBus
import Foundation
import GridCore
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Supervision (督办): a finding still with its agency after the deadline is escalated once —
/// marked against the agency for assessment, recorded in its history, announced as `finding.overdue`.
/// Several patrold instances may run it: rows are claimed with SKIP LOCKED.
public struct OverdueSupervisor: Service {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let interval: Duration
    let logger: Logger

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock, interval: Duration, logger: Logger) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "overdue sweep failed") {
            let count = try await sweep()
            if count > 0 { logger.info("escalated overdue findings", metadata: ["count": "\(count)"]) }
            let overdue = try await pool.query(
                "SELECT count(*) FROM patrol.findings WHERE escalated_at IS NOT NULL AND state IN ('dispatched', 'in_progress')"
            ).first!.decode(Int.self, at: 0)
            Gauge(label: "gridmesh_findings_overdue").record(overdue)
        }
    }

    /// Escalates every finding past its deadline; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let bus = bus
        return try await pool.transaction { connection in
            let rows = try connection.query(
                """
                WITH due AS (
                    SELECT id FROM patrol.findings
                    WHERE state IN ('dispatched', 'in_progress') AND escalated_at IS NULL AND deadline_at < $1
                    ORDER BY deadline_at LIMIT 500 FOR UPDATE SKIP LOCKED
                )
                UPDATE patrol.findings f SET escalated_at = $1, updated_at = $1
                FROM due, geo.grids g, geo.communities c
                WHERE f.id = due.id AND g.code = f.grid_code AND c.code = g.community_code
                RETURNING f.id, f.agency_code, c.street_code, f.grid_code, f.category, f.deadline_at, f.state
                """, [now])
            for row in rows {
                let overdue = MeshEvents.FindingDeadline(
                    findingId: try row.decode(at: 0), agencyCode: try row.decode(at: 1), streetCode: try row.decode(at: 2),
                    gridCode: try row.decode(at: 3), category: try row.decode(at: 4), deadlineAt: try row.decode(at: 5))
                let state: String = try row.decode(at: 6)
                try connection.execute(
                    "INSERT INTO patrol.assessment_marks (agency_code, finding_id, kind, at) VALUES ($1, $2, 'overdue', $3) ON CONFLICT DO NOTHING",
                    [overdue.agencyCode, overdue.findingId, now])
                try connection.execute(
                    """
                    INSERT INTO patrol.transitions (finding_id, action, from_state, to_state, actor, actor_role, reason, at)
                    VALUES ($1, 'escalate', $2, $2, 'patrold', 'service', 'past the handling deadline: supervision', $3)
                    """, [overdue.findingId, state, now])
                try bus.publish("finding.overdue", overdue, at: now, on: connection)
            }
            return rows.count
        }
    }
}

import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// A home visit reentryd asked a grid's workers to make.
public struct VisitRequest: Sendable, Codable, Equatable {
    public let id: UUID
    public let caseId: String
    public let gridCode: String
    public let dueBy: Date?
    public let requestedAt: Date
    public let state: String
    public let visitedAt: Date?
    public let outcome: String?
    public let reportedBy: String?

    static let columns = "id, case_id, grid_code, due_by, requested_at, state, visited_at, outcome, reported_by"

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        caseId = try row.decode(at: 1)
        gridCode = try row.decode(at: 2)
        dueBy = try row.decode(Date?.self, at: 3)
        requestedAt = try row.decode(at: 4)
        state = try row.decode(at: 5)
        visitedAt = try row.decode(Date?.self, at: 6)
        outcome = try row.decode(String?.self, at: 7)
        reportedBy = try row.decode(String?.self, at: 8)
    }
}

/// Visits for reentryd: it asks (case id and grid only); a grid worker of the grid visits and
/// reports an outcome code; the report goes back as `visit.reported`.
public struct VisitRequests: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
    }

    public static let outcomes = ["met", "not_home", "refused", "moved_away"]

    /// Files a request (idempotent by the caller's id).
    public func request(id: UUID, caseID: String, grid: String, dueBy: Date?, by principal: Principal) async throws -> (VisitRequest, created: Bool) {
        guard principal.role == .service else { throw Problem.forbidden("visit requests come from reentryd's service account") }
        let now = clock.now()
        return try await pool.transaction { connection in
            guard try GridPlace.lookup(grid: grid, on: connection) != nil else {
                throw Problem.validation([.init(field: "grid_code", message: "is not a grid of the district")])
            }
            let inserted = try connection.execute(
                """
                INSERT INTO patrol.visit_requests (id, case_id, grid_code, due_by, requested_by, requested_at)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
                """, [id, caseID, grid, dueBy, principal.subject, now])
            let visit = try connection.query("SELECT \(VisitRequest.columns) FROM patrol.visit_requests WHERE id = $1", [id]).first.map(
                VisitRequest.init(row:))!
            guard inserted == 1 || (visit.caseId == caseID && visit.gridCode == grid) else {
                throw Problem.conflict("id-taken", "this id belongs to another visit request")
            }
            return (visit, inserted == 1)
        }
    }

    /// Open requests in the principal's area (grid workers: their grid).
    public func open(for principal: Principal) async throws -> [VisitRequest] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(VisitRequest.columns) FROM patrol.visit_requests v
                WHERE v.state = 'open' AND \(GeographySchema.scopePredicate(gridColumn: "v.grid_code", levelParameter: 1, codeParameter: 2))
                ORDER BY v.due_by NULLS LAST, v.requested_at
                """, [principal.scope.level.rawValue, principal.scope.code]
            ).map(VisitRequest.init(row:))
        }
    }

    /// A grid worker of the grid reports the visit; reporting it again with the same outcome is a no-op.
    public func report(_ id: UUID, visitedAt: Date, outcome: String, by principal: Principal) async throws -> VisitRequest {
        guard principal.role == .gridWorker, principal.scope.level == .grid else { throw Problem.forbidden("a grid worker of the grid reports the visit") }
        let now = clock.now()
        let bus = bus
        return try await pool.transaction { connection in
            guard
                let visit = try connection.query(
                    "SELECT \(VisitRequest.columns) FROM patrol.visit_requests WHERE id = $1 AND grid_code = $2 FOR UPDATE", [id, principal.scope.code]
                ).first.map(VisitRequest.init(row:))
            else { throw Problem.notFound("no visit request in your grid with this id") }
            if visit.state == "reported" {
                guard visit.outcome == outcome, visit.reportedBy == principal.subject else {
                    throw Problem.conflict("already-reported", "this visit has been reported")
                }
                return visit
            }
            guard visitedAt >= visit.requestedAt.addingTimeInterval(-60), visitedAt <= now.addingTimeInterval(300) else {
                throw Problem.validation([.init(field: "visited_at", message: "must lie between the request and now")])
            }
            try connection.execute(
                """
                UPDATE patrol.visit_requests SET state = 'reported', visited_at = $2, outcome = $3, reported_by = $4, reported_at = $5 WHERE id = $1
                """, [id, visitedAt, outcome, principal.subject, now])
            try bus.publish(
                "visit.reported",
                MeshEvents.VisitReported(
                    visitRequestId: id, caseId: visit.caseId, gridCode: visit.gridCode, visitedAt: visitedAt, outcome: outcome, reportedBy: principal.subject),
                at: now, on: connection)
            return try connection.query("SELECT \(VisitRequest.columns) FROM patrol.visit_requests WHERE id = $1", [id]).first.map(VisitRequest.init(row:))!
        }
    }
}

import Daemon
import Foundation
import GridCore
import Postgres

/// A grid worker's walk through their grid.
public struct Patrol: Sendable, Codable, Equatable {
    public let id: UUID
    public let gridCode: String
    public let worker: String
    public let startedAt: Date
    public let endedAt: Date?

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        gridCode = try row.decode(at: 1)
        worker = try row.decode(at: 2)
        startedAt = try row.decode(at: 3)
        endedAt = try row.decode(Date?.self, at: 4)
    }
}

/// Patrols: started and ended by the grid worker's phone.
public struct PatrolStore: Sendable {
    let pool: PostgresPool
    let clock: any WallClock

    static let columns = "id, grid_code, worker, started_at, ended_at"

    /// Starts a patrol (idempotent by the phone's id). One open patrol per worker.
    public func start(id: UUID, startedAt: Date?, by principal: Principal) async throws -> (patrol: Patrol, created: Bool) {
        guard principal.role == .gridWorker, principal.scope.level == .grid else { throw Problem.forbidden("only a grid worker patrols a grid") }
        let started = startedAt ?? clock.now()
        return try await pool.transaction { connection in
            if let existing = try connection.query("SELECT \(Self.columns) FROM patrol.patrols WHERE id = $1", [id]).first.map(Patrol.init(row:)) {
                guard existing.worker == principal.subject else { throw Problem.conflict("id-taken", "this id belongs to another patrol") }
                return (existing, false)
            }
            guard try connection.query("SELECT 1 FROM patrol.patrols WHERE worker = $1 AND ended_at IS NULL", [principal.subject]).count == 0 else {
                throw Problem.conflict("patrol-open", "you already have an open patrol; end it first")
            }
            let row = try connection.query(
                "INSERT INTO patrol.patrols (id, grid_code, worker, started_at) VALUES ($1, $2, $3, $4) RETURNING \(Self.columns)",
                [id, principal.scope.code, principal.subject, started]
            ).first!
            return (try Patrol(row: row), true)
        }
    }

    /// Ends the worker's patrol (ending it again changes nothing).
    public func end(id: UUID, endedAt: Date?, by principal: Principal) async throws -> Patrol {
        let ended = endedAt ?? clock.now()
        return try await pool.transaction { connection in
            guard
                let patrol = try connection.query(
                    "SELECT \(Self.columns) FROM patrol.patrols WHERE id = $1 AND worker = $2 FOR UPDATE", [id, principal.subject]
                )
                .first.map(Patrol.init(row:))
            else { throw Problem.notFound("no patrol of yours with this id") }
            if patrol.endedAt != nil { return patrol }
            guard ended >= patrol.startedAt else { throw Problem.validation([.init(field: "ended_at", message: "is before the patrol started")]) }
            return try Patrol(row: try connection.query("UPDATE patrol.patrols SET ended_at = $2 WHERE id = $1 RETURNING \(Self.columns)", [id, ended]).first!)
        }
    }
}

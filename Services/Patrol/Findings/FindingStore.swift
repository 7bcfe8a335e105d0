import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// The findings table: submit (idempotent by the phone's id) and scoped reads.
public struct FindingStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus

    public init(pool: PostgresPool, bus: EventBus) {
        self.pool = pool
        self.bus = bus
    }

    public enum SubmitOutcome: Sendable {
        case created(Finding)
        /// The same submission arrived before: the first result.
        case repeated(Finding)
    }

    public enum SubmitError: Error, Sendable {
        case notAGridWorker
        case unknownGrid
        case outsideGrid
        /// The id is already used by a different submission.
        case idTaken
    }

    /// Stores a grid worker's finding in their grid and publishes `finding.submitted` in the same transaction.
    public func submit(_ submission: FindingSubmission, by principal: Principal) async throws -> SubmitOutcome {
        guard principal.role == .gridWorker, principal.scope.level == .grid else { throw SubmitError.notAGridWorker }
        let bus = bus
        return try await pool.transaction { connection in
            guard let place = try GridPlace.lookup(grid: principal.scope.code, on: connection) else { throw SubmitError.unknownGrid }
            let inserted = try connection.query(
                """
                INSERT INTO patrol.findings (id, grid_code, category, description, location, observed_at, reporter)
                SELECT $1, g.code, $3, $4,
                       CASE WHEN $5::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($6, $5), 4326) END, $7, $8
                FROM geo.grids g
                WHERE g.code = $2 AND ($5::float8 IS NULL OR ST_Covers(g.boundary, ST_SetSRID(ST_MakePoint($6, $5), 4326)))
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                [submission.id, place.gridCode, submission.category, submission.description, submission.latitude, submission.longitude,
                 submission.observedAt, principal.subject])
            if inserted.count == 1 {
                try bus.publish(
                    "finding.submitted",
                    FindingSubmitted(
                        findingId: submission.id, gridCode: place.gridCode, communityCode: place.communityCode, streetCode: place.streetCode,
                        category: submission.category, observedAt: submission.observedAt),
                    on: connection)
                return .created(try Self.read(id: submission.id, on: connection)!)
            }
            guard let existing = try Self.read(id: submission.id, on: connection) else { throw SubmitError.outsideGrid }
            guard existing.reporter == principal.subject, existing.category == submission.category,
                existing.description == submission.description, abs(existing.observedAt.timeIntervalSince(submission.observedAt)) < 0.001
            else { throw SubmitError.idTaken }
            return .repeated(existing)
        }
    }

    /// A finding if it exists within the principal's scope; nil otherwise (not found and out of scope look alike).
    public func finding(id: UUID, for principal: Principal) async throws -> Finding? {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(Finding.columns)
                FROM patrol.findings f JOIN geo.grids g ON g.code = f.grid_code JOIN geo.communities c ON c.code = g.community_code
                WHERE f.id = $1 AND \(GeographySchema.scopePredicate(gridColumn: "f.grid_code", levelParameter: 2, codeParameter: 3))
                """, [id, principal.scope.level.rawValue, principal.scope.code]
            ).first.map(Finding.init(row:))
        }
    }

    static func read(id: UUID, on connection: PostgresConnection) throws -> Finding? {
        try connection.query(
            """
            SELECT \(Finding.columns)
            FROM patrol.findings f JOIN geo.grids g ON g.code = f.grid_code JOIN geo.communities c ON c.code = g.community_code
            WHERE f.id = $1
            """, [id]
        ).first.map(Finding.init(row:))
    }
}

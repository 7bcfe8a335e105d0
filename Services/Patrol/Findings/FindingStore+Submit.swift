import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

extension FindingStore {
    /// Stores a grid worker's finding in their grid and publishes `finding.submitted` in the same
    /// transaction. The phone's id makes retries safe: the same submission returns the first result.
    /// `sameObservation: false` recognises a retry without its observation time (Open311 has none,
    /// so its retries carry a fresh one).
    public func submit(_ submission: FindingSubmission, by principal: Principal, sameObservation: Bool = true) async throws -> SubmitOutcome {
        guard principal.role == .gridWorker, principal.scope.level == .grid else {
            throw Problem.forbidden("only a grid worker scoped to a grid submits findings")
        }
        let point = try Self.location(of: submission)
        let bus = bus
        let now = clock.now()
        let chain = auditChain
        let hotspots = hotspots
        return try await pool.transaction { connection in
            guard let place = try GridPlace.lookup(grid: principal.scope.code, on: connection) else {
                throw Problem.forbidden("the token's grid does not exist")
            }
            guard let category = try Catalogue.category(submission.category, on: connection) else {
                throw Problem.validation([.init(field: "category", message: "is not a category of the service catalogue")])
            }
            if category.kind == .clue {
                let created = try ClueLedger.recordFromPatrol(
                    submission, category: category, point: point, place: place, by: principal, at: now, chain: chain, on: connection)
                return .clue(submission.id, created: created)
            }
            let attributeErrors = category.check(submission.attributes ?? [:])
            if !attributeErrors.isEmpty { throw Problem.validation(attributeErrors.map { .init(field: $0.field, message: $0.message) }) }
            if let patrol = submission.patrolId {
                let open = try connection.query(
                    "SELECT 1 FROM patrol.patrols WHERE id = $1 AND worker = $2 AND grid_code = $3 AND ended_at IS NULL",
                    [patrol, principal.subject, place.gridCode])
                guard open.count == 1 else { throw Problem.validation([.init(field: "patrol_id", message: "is not an open patrol of yours in this grid")]) }
            }
            let flag = try Self.checkLocation(point, grid: place.gridCode, on: connection)
            let inserted = try connection.query(
                """
                INSERT INTO patrol.findings (id, grid_code, category, priority, description, location, address, location_flag, attributes,
                                             observed_at, submitted_at, updated_at, reporter, patrol_id)
                VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($7, $6), 4326) END,
                        $8, $9, $10, $11, $12, $12, $13, $14)
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                [
                    submission.id, place.gridCode, category.code, category.priority, submission.description, point?.latitude, point?.longitude,
                    submission.address, flag, try JSONB(encoding: submission.attributes ?? [:]), submission.observedAt, now, principal.subject,
                    submission.patrolId,
                ])
            if inserted.count == 1 {
                try connection.execute("INSERT INTO patrol.followers (finding_id, subject) VALUES ($1, $2)", [submission.id, principal.subject])
                try Self.record("submit", finding: submission.id, from: nil, to: .submitted, by: principal, reason: nil, at: now, on: connection)
                try bus.publish(
                    "finding.submitted",
                    MeshEvents.FindingSubmitted(
                        findingId: submission.id, gridCode: place.gridCode, communityCode: place.communityCode, streetCode: place.streetCode,
                        category: category.code, observedAt: submission.observedAt),
                    at: now, on: connection)
                try hotspots.check(category: category.code, place: place, at: now, bus: bus, on: connection)
                return .created(try Self.read(id: submission.id, on: connection)!)
            }
            guard let existing = try Self.read(id: submission.id, on: connection), existing.reporter == principal.subject,
                existing.category == submission.category, existing.description == submission.description,
                !sameObservation || abs(existing.observedAt.timeIntervalSince(submission.observedAt)) < 0.001
            else { throw Problem.conflict("id-taken", "this id belongs to a different submission") }
            return .repeated(existing)
        }
    }

    /// The submitted location in WGS84, or nil; 422 for half a coordinate or an unknown system.
    static func location(of submission: FindingSubmission) throws -> Coordinates? {
        guard let system = Coordinates.System(rawValue: submission.coordSystem ?? "wgs84") else {
            throw Problem.validation([.init(field: "coord_system", message: "must be wgs84, gcj02 or bd09")])
        }
        switch (submission.latitude, submission.longitude) {
        case (nil, nil): return nil
        case (let latitude?, let longitude?): return Coordinates(latitude: latitude, longitude: longitude).toWGS84(from: system)
        default:
            throw Problem.validation([.init(field: submission.latitude == nil ? "latitude" : "longitude", message: "latitude and longitude go together")])
        }
    }

    /// Inside the grid: fine. Within the tolerance outside it (a phone's GPS near the boundary):
    /// kept and flagged. Further out: refused, since the reporter is scoped to this grid.
    static func checkLocation(_ point: Coordinates?, grid: String, on connection: PostgresConnection) throws -> String? {
        guard let point else { return nil }
        let row = try connection.query(
            """
            SELECT ST_Covers(boundary, p), ST_DWithin(boundary::geography, p::geography, $4)
            FROM geo.grids, ST_SetSRID(ST_MakePoint($3, $2), 4326) AS p WHERE code = $1
            """, [grid, point.latitude, point.longitude, gridTolerance]
        ).first!
        if try row.decode(Bool.self, at: 0) { return nil }
        if try row.decode(Bool.self, at: 1) { return "outside_grid" }
        throw Problem(
            .unprocessableContent, code: "outside-grid", title: "The location is outside your grid",
            detail: "the location is more than \(Int(gridTolerance)) m outside grid \(grid); a finding is reported in the reporter's own grid",
            errors: [.init(field: "latitude", message: "outside the grid"), .init(field: "longitude", message: "outside the grid")])
    }
}

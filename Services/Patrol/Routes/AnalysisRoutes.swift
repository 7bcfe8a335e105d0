import Daemon
import Foundation
import GridCore
import Hummingbird
import Postgres

/// Merge candidates (串并) and hotspots.
enum AnalysisRoutes {
    static func register(on routes: APIRoutes, store: FindingStore) {
        routes.add(
            APIOperation(
                .get, "/v1/findings/{id}/merge-candidates", id: "listMergeCandidates",
                summary: "Possible duplicates: same category, nearby, close in time, still open", tag: "findings",
                access: .roles(.streetOfficer, .communityStaff, .commandCentre),
                parameters: [.path("id", Schema.uuid), .query("radius_m", Schema.integer(minimum: 1, maximum: 2000))],
                replies: [
                    .init(
                        200, "Candidates, nearest first",
                        Schema.array(
                            Schema.object([("finding", PatrolSchemas.finding), ("distance_metres", Schema.number()), ("hours_apart", Schema.number())]))),
                    .init(404, "No such finding in your scope"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            var radius = 100.0
            if let text = request.uri.queryParameters.get("radius_m") {
                guard let value = Int(text), (1...2000).contains(value) else {
                    throw Problem.badRequest("radius_m must be 1 to 2000", errors: [.init(field: "radius_m", message: "must be 1 to 2000")])
                }
                radius = Double(value)
            }
            guard let candidates = try await store.mergeCandidates(of: try context.uuid("id"), for: principal, radiusMetres: radius) else {
                throw Problem.notFound("no such finding in your scope")
            }
            return try APICoding.response(.ok, candidates)
        }

        routes.add(
            APIOperation(
                .get, "/v1/hotspots", id: "listHotspots", summary: "Hotspots detected in your scope, newest first", tag: "findings",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector, .auditor),
                parameters: [.query("street"), .query("limit", Schema.integer(minimum: 1, maximum: 200))],
                replies: [.init(200, "Hotspots", Schema.array(["type": "object"]))])
        ) { request, context in
            let principal = try context.authenticated()
            guard principal.role != .agencyHead || principal.scope.level == .street else { throw Problem.forbidden("no hotspots in your scope") }
            let limit = try Pagination.limit(request)
            let street = request.uri.queryParameters.get("street")
            let rows = try await store.pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT h.id, h.level, h.area_code, h.street_code, h.category, h.finding_count, h.window_start, h.detected_at
                    FROM patrol.hotspots h
                    WHERE ($3::text IS NULL OR h.street_code = $3)
                      AND ($1 = 'district' OR ($1 = 'street' AND h.street_code = $2)
                           OR ($1 = 'community' AND h.area_code IN (SELECT $2 UNION SELECT code FROM geo.grids WHERE community_code = $2))
                           OR ($1 = 'grid' AND h.level = 'grid' AND h.area_code = $2))
                    ORDER BY h.detected_at DESC LIMIT $4
                    """, [principal.scope.level.rawValue, principal.scope.code, street, limit]
                ).map { row in
                    Hotspot(
                        hotspotId: try row.decode(at: 0), level: try row.decode(at: 1), areaCode: try row.decode(at: 2), streetCode: try row.decode(at: 3),
                        category: try row.decode(at: 4), findingCount: try row.decode(at: 5), windowStart: try row.decode(at: 6),
                        detectedAt: try row.decode(at: 7))
                }
            }
            return try APICoding.response(.ok, rows)
        }
    }
}

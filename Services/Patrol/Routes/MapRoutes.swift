import Daemon
import Foundation
import Geography
import Hummingbird
import Postgres

/// `/v1/grids`: the grids within the caller's scope as GeoJSON (RFC 7946), with their names and
/// their community's and street's, for the console's map and for turning codes into the names the
/// staff use. PostGIS writes the document; scope is in the query.
enum MapRoutes {
    static func register(on routes: APIRoutes, pool: PostgresPool) {
        routes.add(
            APIOperation(
                .get, "/v1/grids", id: "listGrids", summary: "The grids within your scope as a GeoJSON FeatureCollection (WGS84)", tag: "map",
                access: .person,
                replies: [
                    .init(
                        200, "A FeatureCollection: each grid a Polygon with code, name, community and street in its properties",
                        Schema.object(
                            [("type", Schema.string(enum: ["FeatureCollection"])), ("features", Schema.array(["type": "object"]))],
                            required: ["type", "features"]),
                        contentType: "application/geo+json")
                ])
        ) { _, context in
            let principal = try context.authenticated()
            let document = try await pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                        'type', 'Feature', 'id', g.code, 'geometry', ST_AsGeoJSON(g.boundary, 6)::json,
                        'properties', json_build_object(
                            'code', g.code, 'name', g.name_zh, 'community_code', c.code, 'community_name', c.name_zh,
                            'street_code', s.code, 'street_name', s.name_zh)
                    ) ORDER BY g.code), '[]'::json))::text
                    FROM geo.grids g JOIN geo.communities c ON c.code = g.community_code JOIN geo.streets s ON s.code = c.street_code
                    WHERE \(GeographySchema.scopePredicate(gridColumn: "g.code", levelParameter: 1, codeParameter: 2))
                    """, [principal.scope.level.rawValue, principal.scope.code]
                ).first?.decode(String.self, at: 0) ?? #"{"type":"FeatureCollection","features":[]}"#
            }
            return Response(
                status: .ok, headers: [.contentType: "application/geo+json", .cacheControl: "private, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }
}

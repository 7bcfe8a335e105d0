import Foundation
import Testing

@Suite("patrold: the grids as GeoJSON, within the caller's scope")
struct GridMapTests {
    static func features(_ url: String, _ token: String) async throws -> [[String: Any]] {
        let response = try await Mesh.request("GET", "\(url)/v1/grids", token: token)
        #expect(response.status == 200 && response.header("Content-Type") == "application/geo+json", "\(response.status) \(response.text.prefix(200))")
        let document = try Mesh.json(response)
        #expect(document["type"] as? String == "FeatureCollection")
        return document["features"] as? [[String: Any]] ?? []
    }

    @Test func eachRoleGetsTheGridsOfItsScopeWithTheirNames() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let patrold = try await Mesh.start("patrold", database: database)
        let worker = try await Self.features(patrold.baseURL, try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03"))
        #expect(worker.count == 1)
        let grid = try #require(worker.first)
        let properties = grid["properties"] as? [String: Any] ?? [:]
        #expect(grid["id"] as? String == "dongting-03" && properties["street_code"] as? String == "shuiguohu")
        #expect((properties["name"] as? String)?.isEmpty == false && (properties["street_name"] as? String)?.contains("水果湖") == true, "\(properties)")
        let geometry = grid["geometry"] as? [String: Any] ?? [:]
        let ring = (geometry["coordinates"] as? [[[Double]]])?.first ?? []
        #expect(geometry["type"] as? String == "Polygon" && ring.count >= 4 && ring.first == ring.last, "a closed WGS84 ring: \(geometry)")
        #expect(ring.allSatisfy { $0.count == 2 && (113...116).contains($0[0]) && (29...32).contains($0[1]) }, "longitude first, in Wuhan")

        let street = try await Self.features(patrold.baseURL, try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu"))
        let streets = Set(street.compactMap { ($0["properties"] as? [String: Any])?["street_code"] as? String })
        #expect(street.count > 1 && streets == ["shuiguohu"])
        let district = try await Self.features(patrold.baseURL, try await TestKeys.token("command", .commandCentre, "district"))
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let all = try await pool.query("SELECT count(*) FROM geo.grids").first!.decode(Int.self, at: 0)
        #expect(district.count == all && all > street.count)
        #expect(try await Mesh.request("GET", "\(patrold.baseURL)/v1/grids").status == 401)
    }
}

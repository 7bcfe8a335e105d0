import Foundation
import GridCore
import Testing

@Suite("patrold: merge candidates, hotspots, visits for reentryd")
struct AnalysisAndVisitTests {
    @Test func aNearbyDuplicateIsACandidateAndTheThirdFindingMakesAHotspot() async throws {
        let f = try await PatrolFixture()
        let (lat, lon) = try await f.centre(of: "dongting-03")
        let first = try await f.newFinding(f.zhangmin, extra: #","latitude":\#(lat),"longitude":\#(lon)"#)
        // 40 m to the east, by another worker
        let near = try await f.newFinding(f.chenjie, extra: #","latitude":\#(lat),"longitude":\#(lon + 0.000415)"#)
        // far enough away not to be the same corner
        let far = (try await f.submit(f.zhangmin, category: "road_damage", extra: #","latitude":\#(lat + 0.002),"longitude":\#(lon)"#)["id"] as! String)
            .lowercased()
        let candidates = try await f.get(f.officer, "/v1/findings/\(first)/merge-candidates")
        #expect(candidates.status == 200)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(candidates.body)) as? [[String: Any]])
        #expect(list.count == 1)
        let candidate = try #require(list.first)
        #expect(((candidate["finding"] as? [String: Any])?["id"] as? String)?.lowercased() == near)
        let distance = try #require(candidate["distance_metres"] as? Double)
        #expect(distance > 30 && distance < 50)
        #expect(!list.contains { (($0["finding"] as? [String: Any])?["id"] as? String)?.lowercased() == far }, "another category, 220 m away")
        #expect(try await f.get(f.zhangmin, "/v1/findings/\(first)/merge-candidates").status == 403)
        #expect(try await f.get(f.officer, "/v1/findings/\(first)/merge-candidates?radius_m=0").status == 400)

        try await f.step(f.officer, near, #"{"action":"merge","merge_into":"\#(first)"}"#)
        let hotspotsBefore = try JSONSerialization.jsonObject(with: Data(try await f.get(f.officer, "/v1/hotspots").body)) as? [Any]
        #expect(hotspotsBefore?.isEmpty == true)
        // a third rubbish finding in the grid: with the merged one counted once, three in the window
        try await f.submit(f.zhangmin, description: "又一处垃圾")
        let hotspots = try #require(try JSONSerialization.jsonObject(with: Data(try await f.get(f.officer, "/v1/hotspots").body)) as? [[String: Any]])
        #expect(hotspots.count == 1)
        #expect(hotspots.first?["level"] as? String == "grid")
        #expect(hotspots.first?["area_code"] as? String == "dongting-03")
        #expect(hotspots.first?["category"] as? String == "environmental_sanitation")
        #expect(hotspots.first?["finding_count"] as? Int == 3)
        // a fourth does not fire it again within the window
        try await f.submit(f.zhangmin, description: "第四处")
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*) FROM mesh.events WHERE topic = 'hotspot.detected'").first!.decode(Int.self, at: 0) == 1)
        let nanhu = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect((try JSONSerialization.jsonObject(with: Data(try await f.get(nanhu, "/v1/hotspots").body)) as? [Any])?.isEmpty == true)
    }

    @Test func reentrydAsksForAVisitAndTheGridWorkersReportReturnsAsAnEvent() async throws {
        let f = try await PatrolFixture()
        let reentryd = try await TestKeys.token("svc-reentryd", .service, "district")
        let id = UUID()
        let body = #"{"id":"\#(id.uuidString)","case_id":"RC-7F3A21","grid_code":"dongting-05"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/visit-requests", token: f.officer, json: body).status == 403)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/visit-requests", token: reentryd, json: body).status == 201)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/visit-requests", token: reentryd, json: body).status == 200)
        let badCase = #"{"id":"\#(UUID().uuidString)","case_id":"王强","grid_code":"dongting-05"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/visit-requests", token: reentryd, json: badCase).status == 422)

        let lihuaOpen = try #require(try JSONSerialization.jsonObject(with: Data(try await f.get(f.lihua, "/v1/visit-requests").body)) as? [[String: Any]])
        #expect(lihuaOpen.count == 1)
        let zhangminOpen = try JSONSerialization.jsonObject(with: Data(try await f.get(f.zhangmin, "/v1/visit-requests").body)) as? [Any]
        #expect(zhangminOpen?.isEmpty == true, "another grid's worker does not see it")

        let report = "\(f.url)/v1/visit-requests/\(id.uuidString)/report"
        let visited = #"{"visited_at":"\#(TestSupport.anHourAgo)","outcome":"met"}"#
        #expect(try await Mesh.request("POST", report, token: f.zhangmin, json: visited).status == 404)
        #expect(try await Mesh.request("POST", report, token: f.lihua, json: #"{"visited_at":"\#(TestSupport.anHourAgo)","outcome":"tea"}"#).status == 422)
        let done = try await Mesh.request("POST", report, token: f.lihua, json: #"{"visited_at":"\#(TestClock.rfc3339())","outcome":"met"}"#)
        #expect(done.status == 200, "\(done.text)")
        #expect(try Mesh.json(done)["state"] as? String == "reported")
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let payload = try await pool.query("SELECT payload::text FROM mesh.events WHERE topic = 'visit.reported'").first!.decode(String.self, at: 0)
        #expect(payload.contains("RC-7F3A21") && payload.contains("\"outcome\": \"met\"") && payload.contains("dongting-05"))
        let stillOpen = try #require(try JSONSerialization.jsonObject(with: Data(try await f.get(f.lihua, "/v1/visit-requests").body)) as? [[String: Any]])
        #expect(stillOpen.isEmpty, "a reported visit is no longer open")
        let retried = #"{"visited_at":"\#(TestSupport.anHourAgo)","outcome":"met"}"#
        #expect(try await Mesh.request("POST", report, token: f.lihua, json: retried).status == 200, "a retry of the same report is answered again")
        #expect(try await Mesh.request("POST", report, token: f.lihua, json: #"{"visited_at":"\#(TestSupport.anHourAgo)","outcome":"not_home"}"#).status == 409)
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.events WHERE topic = 'visit.reported'").first!.decode(Int.self, at: 0) == 1)
    }
}

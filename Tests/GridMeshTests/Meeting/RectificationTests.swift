import Foundation
import GridCore
import Testing

@Suite("meetingd: rectification orders")
struct RectificationTests {
    @Test func anOrderIsAnsweredRejectedAnsweredAgainAndVerifiedAndAnUnansweredOneEscalates() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database, extra: ["GRIDMESH_SUPERVISION_MS": "100"])
        let url = meetingd.baseURL
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let staff = try await TestKeys.token("dongting-staff", .communityStaff, "community:dongting")
        let otherStaff = try await TestKeys.token("shuiguohu-staff", .communityStaff, "community:shuiguohu")
        let today = TestClock.today
        let id = UUID().uuidString
        let order = #"{"id":"\#(id)","target_kind":"community","target_code":"dongting","notice":"东亭社区限期整改楼道堆物","deadline":"\#(today.adding(days: 7))"}"#
        #expect(
            try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/rectifications", token: staff, json: order).status == 403,
            "community staff do not issue orders")
        #expect(
            try await Mesh.request(
                "POST", "\(url)/v1/streets/shuiguohu/rectifications", token: officer, json: order.replacingOccurrences(of: "\"dongting\"", with: "\"atlantis\"")
            ).status == 422)
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/rectifications", token: officer, json: order).status == 201)
        let changes = "\(url)/v1/rectifications/\(id)/changes"
        #expect(
            try await Mesh.request("POST", changes, token: otherStaff, json: #"{"change":"respond","text":"x"}"#).status == 404,
            "another community does not see it")
        let dongtingCaseworker = try await TestKeys.token("caseworker-liu", .caseworker, "community:dongting")
        #expect(
            try await Mesh.request("GET", "\(url)/v1/rectifications/\(id)", token: dongtingCaseworker).status == 403,
            "the target community's staff read it, not everyone scoped to the community")
        #expect(try await Mesh.request("GET", "\(url)/v1/rectifications/\(id)", token: staff).status == 200)
        #expect(try await Mesh.request("POST", changes, token: staff, json: #"{"change":"respond","text":"已清理"}"#).status == 200)
        #expect(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"reject"}"#).status == 422)
        #expect(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"reject","text":"三楼仍有堆物"}"#).status == 200)
        #expect(try await Mesh.request("POST", changes, token: staff, json: #"{"change":"respond","text":"三楼已清理"}"#).status == 200)
        let verified = try Mesh.json(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"verify"}"#))
        #expect(verified["state"] as? String == "verified")
        #expect((verified["history"] as? [[String: Any]] ?? []).compactMap { $0["change"] as? String } == ["issue", "respond", "reject", "respond", "verify"])
        #expect(try await Mesh.request("GET", "\(url)/v1/rectifications/\(id)", token: staff).status == 200, "the target sees its order")

        let late = UUID().uuidString
        let lateOrder = #"{"id":"\#(late)","target_kind":"agency","target_code":"shuiguohu/food_and_drug","notice":"整改无证餐饮","deadline":"\#(TestClock.today)"}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/rectifications", token: officer, json: lateOrder).status == 201)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE meeting.rectifications SET deadline = deadline - 1 WHERE id = $1", [UUID(uuidString: late)!])
        #expect(
            try await TestSupport.eventually {
                try Mesh.json(try await Mesh.request("GET", "\(url)/v1/rectifications/\(late)", token: officer))["escalated"] as? Bool == true
            })
        let topics = try await pool.query("SELECT topic FROM mesh.events WHERE topic LIKE 'rectification.%' ORDER BY id").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(topics == ["rectification.issued", "rectification.issued", "rectification.overdue"])

        // the street's list: the escalated first; the target community sees its own orders only
        let list = "\(url)/v1/streets/shuiguohu/rectifications"
        let all = try Mesh.jsonArray(try await Mesh.request("GET", list, token: officer))
        #expect(all.compactMap { $0["id"] as? String }.map { $0.lowercased() } == [late.lowercased(), id.lowercased()])
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", "\(list)?state=verified", token: officer)).count == 1)
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", list, token: staff)).compactMap { $0["target_code"] as? String } == ["dongting"])
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", list, token: otherStaff)).isEmpty, "another community of the street: none of its")
        let nanhuStaff = try await TestKeys.token("nanhu-staff", .communityStaff, "community:nanhuhuayuan")
        #expect(try await Mesh.request("GET", list, token: nanhuStaff).status == 404, "another street's community staff")
        #expect(try await Mesh.request("GET", "\(list)?state=lost", token: officer).status == 400)
        let nanhu = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect(try await Mesh.request("GET", list, token: nanhu).status == 404, "another street's officer")
        _ = try await meetingd.terminate()
    }
}

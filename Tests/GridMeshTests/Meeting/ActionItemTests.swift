import Foundation
import GridCore
import Testing

@Suite("meetingd: action items")
struct ActionItemTests {
    @Test func anActionItemGoesOverdueIsDoneReopenedAndVerifiedWithEveryStepKept() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database, extra: ["GRIDMESH_SUPERVISION_MS": "100"])
        let url = meetingd.baseURL
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let city = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let police = try await TestKeys.token("sgh-police", .agencyHead, "street:shuiguohu", agency: "shuiguohu/police_station")
        let meeting = UUID().uuidString
        let extra = #"{"id":"\#(meeting)","title":"碰头会","starts_at":"\#(TestClock.rfc3339(60))","duration_minutes":60}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/meetings", token: officer, json: extra).status == 201)
        let all =
            #"{"present":["shuiguohu/city_management","shuiguohu/police_station","shuiguohu/judicial_office","shuiguohu/market_regulation","shuiguohu/food_and_drug"]}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/meetings/\(meeting)/start", token: officer, json: all).status == 200)
        let item = UUID().uuidString
        let today = TestClock.today
        let action = #"{"id":"\#(item)","kind":"action_item","text":"清理东亭转角","owner_agency":"shuiguohu/city_management","deadline":"\#(TestClock.today)"}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/meetings/\(meeting)/outcomes", token: officer, json: action).status == 200)
        let yesterday =
            #"{"id":"\#(UUID().uuidString)","kind":"action_item","text":"x","owner_agency":"shuiguohu/city_management","deadline":"\#(today.adding(days: -1))"}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/meetings/\(meeting)/outcomes", token: officer, json: yesterday).status == 422)

        let changes = "\(url)/v1/action-items/\(item)/changes"
        #expect(
            try await Mesh.request("POST", changes, token: officer, json: #"{"change":"move_deadline","deadline":"\#(today.adding(days: 3))"}"#).status == 422,
            "a reason is needed")
        #expect(
            try await Mesh.request("POST", changes, token: officer, json: #"{"change":"move_deadline","deadline":"\#(today.adding(days: 3))","reason":"等待设备"}"#)
                .status == 200)
        // the deadline passes
        let list = "\(url)/v1/streets/shuiguohu/action-items"
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", "\(list)?overdue=true", token: city)).isEmpty)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE meeting.action_items SET deadline = $2 WHERE id = $1", [UUID(uuidString: item)!, today.adding(days: -2)])
        #expect(
            try await TestSupport.eventually {
                try Mesh.json(try await Mesh.request("GET", "\(url)/v1/action-items/\(item)", token: city))["overdue"] as? Bool == true
            })
        let overdue = try Mesh.jsonArray(try await Mesh.request("GET", "\(list)?overdue=true", token: city))
        #expect(overdue.compactMap { ($0["id"] as? String)?.lowercased() } == [item.lowercased()], "the street's list, overdue only")
        #expect(overdue.first?["owner_agency"] as? String == "shuiguohu/city_management")
        #expect(try await Mesh.request("GET", "\(list)?overdue=maybe", token: city).status == 400)
        let nanhu = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect(try await Mesh.request("GET", list, token: nanhu).status == 404, "another street's officer")
        #expect(try await Mesh.request("POST", changes, token: police, json: #"{"change":"done","evidence":"不是我的"}"#).status == 403)
        #expect(try await Mesh.request("POST", changes, token: city, json: #"{"change":"done"}"#).status == 422)
        #expect(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"verify"}"#).status == 409)
        #expect(try await Mesh.request("POST", changes, token: city, json: #"{"change":"done","evidence":"已清理，附照片"}"#).status == 200)
        #expect(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"reopen"}"#).status == 422)
        #expect(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"reopen","reason":"垃圾桶未安装"}"#).status == 200)
        // reopened and still past its deadline: overdue again, announced again
        #expect(
            try await TestSupport.eventually {
                try Mesh.json(try await Mesh.request("GET", "\(url)/v1/action-items/\(item)", token: city))["overdue"] as? Bool == true
            })
        #expect(try await Mesh.request("POST", changes, token: city, json: #"{"change":"done","evidence":"已安装"}"#).status == 200)
        let verified = try Mesh.json(try await Mesh.request("POST", changes, token: officer, json: #"{"change":"verify"}"#))
        #expect(verified["state"] as? String == "verified")
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", "\(list)?state=verified", token: officer)).count == 1)
        #expect(try Mesh.jsonArray(try await Mesh.request("GET", "\(list)?state=open", token: officer)).isEmpty)
        let steps = (verified["history"] as? [[String: Any]] ?? []).compactMap { $0["change"] as? String }
        #expect(steps == ["move_deadline", "overdue", "done", "reopen", "overdue", "done", "verify"])
        let topics = try await pool.query("SELECT topic FROM mesh.events WHERE topic LIKE 'action_item.%' ORDER BY id").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(topics == ["action_item.assigned", "action_item.overdue", "action_item.completed", "action_item.overdue", "action_item.completed"])
        _ = try await meetingd.terminate()
    }
}

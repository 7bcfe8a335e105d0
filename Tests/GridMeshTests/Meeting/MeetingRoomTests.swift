import EventBus
import Foundation
import GridCore
import Testing

@Suite("meetingd: agenda from patrold's events, quorum, frozen minutes")
struct MeetingRoomTests {
    func json(_ response: HTTPResponseBody) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: Data(response)) as? [String: Any]) }

    @Test func theAgendaIsBuiltFromRealEventsAndTheMinutesFreeze() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database, extra: ["GRIDMESH_SUPERVISION_MS": "100"])
        let meetingd = try await Mesh.start("meetingd", database: database)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let head = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")

        var findings: [String] = []
        for index in 0..<3 {
            let body =
                #"{"id":"\#(UUID().uuidString)","category":"environmental_sanitation","description":"垃圾 \#(index)","observed_at":"\#(TestSupport.anHourAgo)"}"#
            let response = try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body)
            findings.append((try Mesh.json(response)["id"] as! String).lowercased())
        }
        let late = findings[0]
        #expect(
            try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings/\(late)/transitions", token: officer, json: #"{"action":"dispatch"}"#).status == 200)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE patrol.findings SET deadline_at = $2 WHERE id = $1", [UUID(uuidString: late)!, TestClock.now().addingTimeInterval(-60)])

        let id = UUID().uuidString
        let extra = #"{"id":"\#(id)","title":"水果湖街道五长碰头会","starts_at":"\#(TestClock.rfc3339(3600))","duration_minutes":60}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/streets/shuiguohu/meetings", token: officer, json: extra).status == 201)
        #expect(
            try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/agenda-items", token: head, json: #"{"title":"东亭路夜市占道","severity":2}"#).status
                == 200)

        // the hotspot and the overdue dispatch arrive as events and land on the agenda, most severe first
        #expect(
            try await TestSupport.eventually(timeout: .seconds(20)) {
                let minutes = try json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/meetings/\(id)", token: head).body)
                return ((minutes["agenda"] as? [[String: Any]]) ?? []).count == 3
            })
        let before = try json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/meetings/\(id)", token: head).body)
        let kinds = ((before["agenda"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds == ["hotspot", "overdue_finding", "member_item"])

        // reentryd's count of overdue contacts in a community arrives as an event: a count, no names
        let bus = EventBus(source: "reentryd", listener: nil)
        try await pool.transaction { connection in
            try bus.publish(
                "reentry.alerts_counted", MeshEvents.ReentryAlertsCounted(streetCode: "shuiguohu", communityCode: "dongting", overdueContacts: 1),
                on: connection)
        }
        #expect(
            try await TestSupport.eventually {
                let minutes = try json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/meetings/\(id)", token: head).body)
                return ((minutes["agenda"] as? [[String: Any]]) ?? []).contains { $0["title"] as? String == "帮教：东亭社区 1 次联系逾期" }
            })
        // caught up before the meeting: the lapse stays on the agenda, marked as made good
        try await pool.transaction { connection in
            try bus.publish(
                "reentry.alerts_counted", MeshEvents.ReentryAlertsCounted(streetCode: "shuiguohu", communityCode: "dongting", overdueContacts: 0),
                on: connection)
        }
        #expect(
            try await TestSupport.eventually {
                let minutes = try json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/meetings/\(id)", token: head).body)
                return ((minutes["agenda"] as? [[String: Any]]) ?? []).contains { $0["title"] as? String == "帮教：东亭社区 1 次联系逾期（均已补上）" }
            })
        #expect(before["agenda_frozen"] as? Bool == false)

        // four of five present: quorum
        let present = #"{"present":["shuiguohu/city_management","shuiguohu/police_station","shuiguohu/judicial_office","shuiguohu/market_regulation"]}"#
        #expect(
            try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/start", token: head, json: present).status == 403, "the chair is the street")
        let started = try json(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/start", token: officer, json: present).body)
        #expect(started["agenda_frozen"] as? Bool == true)
        #expect((started["absent"] as? [String]) == ["shuiguohu/food_and_drug"])
        #expect(
            try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/agenda-items", token: head, json: #"{"title":"too late","severity":5}"#)
                .status == 409)

        try await TestSupport.announcedToMeetingd(findings, in: database)
        let action =
            #"{"id":"\#(UUID().uuidString)","agenda_position":1,"kind":"action_item","text":"清理东亭转角并加装垃圾桶","owner_agency":"shuiguohu/city_management","deadline":"\#(WorkingCalendar().adding(workingDays: 5, to: TestClock.today))","finding_ids":["\#(findings.joined(separator: "\",\""))"]}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer, json: action).status == 200)
        let badOwner = action.replacingOccurrences(of: "city_management", with: "navy").replacingOccurrences(
            of: #""id":""#, with: #""id":"\#(UUID().uuidString)", "x":""#)
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer, json: badOwner).status == 422)
        let closed = try json(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/close", token: officer).body)
        #expect((closed["meeting"] as? [String: Any])?["state"] as? String == "closed")
        let info = #"{"id":"\#(UUID().uuidString)","kind":"information","text":"会后补记"}"#
        let frozen = try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer, json: info)
        #expect(frozen.status == 409)
        #expect(try Mesh.json(frozen)["type"] as? String == "https://gridmesh.example/problems/minutes-frozen")

        // (a Sunday evening adds meetingd's own weekly bulletins; they are not this meeting's)
        let topics = try await pool.query("SELECT topic FROM mesh.events WHERE source = 'meetingd' AND topic <> 'bulletin.published' ORDER BY id").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(topics == ["meeting.scheduled", "action_item.assigned", "meeting.closed"])
        _ = try await patrold.terminate()
        _ = try await meetingd.terminate()
    }

    @Test func withoutQuorumOnlyInformationIsRecorded() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database)
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let id = UUID().uuidString
        let extra = #"{"id":"\#(id)","title":"临时碰头","starts_at":"\#(TestClock.rfc3339(600))","duration_minutes":30}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/streets/shuiguohu/meetings", token: officer, json: extra).status == 201)
        #expect(
            try await Mesh.request(
                "POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer,
                json: #"{"id":"\#(UUID().uuidString)","kind":"information","text":"x"}"#
            ).status == 409, "not started")
        let three = #"{"present":["shuiguohu/city_management","shuiguohu/police_station","shuiguohu/judicial_office"]}"#
        #expect(try await Mesh.request("PUT", "\(meetingd.baseURL)/v1/streets/shuiguohu/committee", token: officer, json: #"{"quorum":9}"#).status == 422)
        // three of five present: no quorum at the default 4; the committee could set 3, but this one keeps 4
        #expect(try await Mesh.request("PUT", "\(meetingd.baseURL)/v1/streets/shuiguohu/committee", token: officer, json: #"{"quorum":4}"#).status == 204)
        #expect(
            try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/start", token: officer, json: #"{"present":["atlantis/navy"]}"#).status == 422
        )
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(id)/start", token: officer, json: three).status == 200)
        let decision = try await Mesh.request(
            "POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer, json: #"{"id":"\#(UUID().uuidString)","kind":"decision","text":"决定"}"#)
        #expect(decision.status == 409)
        #expect(try Mesh.json(decision)["type"] as? String == "https://gridmesh.example/problems/no-quorum")
        #expect(
            try await Mesh.request(
                "POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer,
                json: #"{"id":"\#(UUID().uuidString)","kind":"information","text":"通报情况"}"#
            ).status == 200)
        #expect(
            try await Mesh.request(
                "POST", "\(meetingd.baseURL)/v1/meetings/\(id)/outcomes", token: officer, json: #"{"id":"\#(UUID().uuidString)","kind":"vote","text":"x"}"#
            ).status == 422)
        _ = try await meetingd.terminate()
    }
}

typealias HTTPResponseBody = [UInt8]

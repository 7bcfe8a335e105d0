import Foundation
import GridCore
import Testing

@Suite("meetingd asks patrold over HTTP")
struct PatrolRequestTests {
    @Test func anActionItemsLinkedFindingsAreDispatchedAndResolvedByPatroldAndTheResultComesBackAsEvents() async throws {
        let database = try await TestDatabase.make()
        let tokenFile = TestScratch.path("svc-\(UUID().uuidString.prefix(8)).token")
        try (try await TestKeys.token("svc-meetingd", .service, "district")).write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let patrold = try await Mesh.start("patrold", database: database)
        // meetingd starts while patrold is unreachable: its requests wait and are retried
        let meetingd = try await Mesh.start(
            "meetingd", database: database,
            extra: ["GRIDMESH_PATROLD_URL": "http://127.0.0.1:1", "GRIDMESH_SERVICE_TOKEN_FILE": tokenFile, "GRIDMESH_PATROL_REQUEST_MS": "100"])
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        var findings: [String] = []
        for index in 0..<2 {
            let body =
                #"{"id":"\#(UUID().uuidString)","category":"environmental_sanitation","description":"垃圾 \#(index)","observed_at":"\#(TestSupport.anHourAgo)"}"#
            findings.append(
                (try Mesh.json(try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body))["id"] as! String).lowercased())
        }
        let meeting = try await Mesh.meetingInProgress(at: meetingd, officer: officer)
        let item = UUID().uuidString
        let deadline = WorkingCalendar().adding(workingDays: 5, to: TestClock.today)
        try await TestSupport.announcedToMeetingd(findings, in: database)
        let action =
            #"{"id":"\#(item)","kind":"action_item","text":"清理并加装垃圾桶","owner_agency":"shuiguohu/city_management","deadline":"\#(deadline)","finding_ids":["\#(findings.joined(separator: "\",\""))"]}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action).status == 200)

        func linked(_ base: String) async throws -> [[String: Any]] {
            (try Mesh.json(try await Mesh.request("GET", "\(base)/v1/action-items/\(item)", token: officer))["linked_findings"] as? [[String: Any]]) ?? []
        }
        #expect(
            try await TestSupport.eventually {
                let waiting = try await linked(meetingd.baseURL)
                return waiting.count == 2 && waiting.allSatisfy { ($0["last_error"] as? String) != nil }
            })
        let waiting = try await linked(meetingd.baseURL)
        #expect(waiting.count == 2 && waiting.allSatisfy { $0["state"] as? String == "requested" }, "nothing is lost while patrold is away")

        // meetingd restarts pointing at patrold: the waiting requests go through
        _ = try await meetingd.terminate()
        let restarted = try await Mesh.start(
            "meetingd", database: database,
            extra: ["GRIDMESH_PATROLD_URL": patrold.baseURL, "GRIDMESH_SERVICE_TOKEN_FILE": tokenFile, "GRIDMESH_PATROL_REQUEST_MS": "100"])
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE meeting.linked_findings SET next_attempt_at = now()")
        #expect(
            try await TestSupport.eventually(timeout: .seconds(20)) {
                let now = try await linked(restarted.baseURL)
                return now.count == 2 && now.allSatisfy { $0["state"] as? String == "dispatched" }
            })
        for finding in findings {
            let detail = try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/\(finding)", token: officer))
            let state = detail["finding"] as? [String: Any]
            #expect(state?["state"] as? String == "dispatched")
            #expect(state?["agency_code"] as? String == "shuiguohu/city_management")
            let history = (detail["history"] as? [[String: Any]]) ?? []
            #expect(history.last?["actor"] as? String == "sgh-officer", "dispatched with the authority of the officer who decided it")
        }

        // the squad reports the item done: meetingd asks patrold to resolve the linked findings, with the evidence
        let squad = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let done = #"{"change":"done","evidence":"已清运，加装垃圾桶 4 个"}"#
        #expect(try await Mesh.request("POST", "\(restarted.baseURL)/v1/action-items/\(item)/changes", token: squad, json: done).status == 200)
        #expect(
            try await TestSupport.eventually(timeout: .seconds(20)) {
                let resolved = try await linked(restarted.baseURL)
                return resolved.count == 2 && resolved.allSatisfy { $0["state"] as? String == "resolved" }
            })
        for finding in findings {
            let detail = try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/\(finding)", token: officer))
            #expect((detail["finding"] as? [String: Any])?["state"] as? String == "resolved")
            let last = (detail["history"] as? [[String: Any]])?.last
            #expect(last?["actor"] as? String == "sgh-city" && (last?["reason"] as? String)?.contains("加装垃圾桶") == true, "resolved as the agency")
        }
        _ = try await restarted.terminate()
        _ = try await patrold.terminate()
    }

    @Test func anItemDoneWhileItsDispatchesWaitGetsItsFindingsDispatchedThenResolved() async throws {
        let database = try await TestDatabase.make()
        let tokenFile = TestScratch.path("svc-\(UUID().uuidString.prefix(8)).token")
        try (try await TestKeys.token("svc-meetingd", .service, "district")).write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let patrold = try await Mesh.start("patrold", database: database)
        let away = ["GRIDMESH_PATROLD_URL": "http://127.0.0.1:1", "GRIDMESH_SERVICE_TOKEN_FILE": tokenFile, "GRIDMESH_PATROL_REQUEST_MS": "100"]
        let meetingd = try await Mesh.start("meetingd", database: database, extra: away)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let squad = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let finding = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(finding)","category":"environmental_sanitation","description":"垃圾","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body).status == 201)
        let meeting = try await Mesh.meetingInProgress(at: meetingd, officer: officer)
        let item = UUID().uuidString
        let deadline = WorkingCalendar().adding(workingDays: 5, to: TestClock.today)
        try await TestSupport.announcedToMeetingd([finding], in: database)
        let action =
            #"{"id":"\#(item)","kind":"action_item","text":"清理","owner_agency":"shuiguohu/city_management","deadline":"\#(deadline)","finding_ids":["\#(finding)"]}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action).status == 200)
        // done at once, while patrold is still away: the dispatch waits, and the resolve waits for it
        let done = #"{"change":"done","evidence":"已清理"}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/action-items/\(item)/changes", token: squad, json: done).status == 200)
        _ = try await meetingd.terminate()
        let restarted = try await Mesh.start(
            "meetingd", database: database, extra: away.merging(["GRIDMESH_PATROLD_URL": patrold.baseURL]) { _, new in new })
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE meeting.linked_findings SET next_attempt_at = now()")
        var history: [String] = []
        #expect(
            try await TestSupport.eventually(timeout: .seconds(20)) {
                let detail = try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/\(finding)", token: officer))
                history = ((detail["history"] as? [[String: Any]]) ?? []).map { "\($0["action"] ?? "") \($0["actor"] ?? "")" }
                return (detail["finding"] as? [String: Any])?["state"] as? String == "resolved"
            })
        #expect(history.suffix(2) == ["dispatch sgh-officer", "resolve sgh-city"], "\(history)")
        _ = try await restarted.terminate()
        _ = try await patrold.terminate()
    }
}

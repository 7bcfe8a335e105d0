import Foundation
import GridCore
import Testing

/// A daemon acting for a person carries that person's authority, never its own wider one
/// (review hole 1: an action item's linked findings were dispatched and resolved with meetingd's
/// district-wide service token).
@Suite("Confused deputy: meetingd acts on patrold with the person's authority")
struct OnBehalfTests {
    @Test func aCommitteeLinksOnlyItsStreetsFindingsAndPatroldsRefusalIsARefusal() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let tokenFile = TestScratch.path("svc-\(UUID().uuidString.prefix(8)).token")
        try (try await TestKeys.token("svc-meetingd", .service, "district")).write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let patrold = try await Mesh.start("patrold", database: database)
        let meetingd = try await Mesh.start(
            "meetingd", database: database,
            extra: ["GRIDMESH_PATROLD_URL": patrold.baseURL, "GRIDMESH_SERVICE_TOKEN_FILE": tokenFile, "GRIDMESH_PATROL_REQUEST_MS": "100"])
        let shuiguohuWorker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let nanhuWorker = try await TestKeys.token("nanhu-worker", .gridWorker, "grid:nanhuhuayuan-01")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        func submit(_ token: String) async throws -> String {
            let body = #"{"id":"\#(UUID().uuidString)","category":"environmental_sanitation","description":"垃圾","observed_at":"\#(TestSupport.anHourAgo)"}"#
            let response = try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: token, json: body)
            #expect(response.status == 201, "\(response.text)")
            return try #require(try Mesh.json(response)["id"] as? String).lowercased()
        }
        let ours = try await submit(shuiguohuWorker)
        let rejected = try await submit(shuiguohuWorker)
        let theirs = try await submit(nanhuWorker)
        try await TestSupport.announcedToMeetingd([ours, rejected, theirs], in: database)
        #expect(
            try await Mesh.request(
                "POST", "\(patrold.baseURL)/v1/findings/\(rejected)/transitions", token: officer, json: #"{"action":"reject","reason":"重复"}"#
            )
            .status == 200)

        let meeting = try await Mesh.meetingInProgress(at: meetingd, officer: officer)
        let deadline = WorkingCalendar().adding(workingDays: 5, to: TestClock.today)
        func action(_ id: String, _ findings: [String]) -> String {
            #"{"id":"\#(id)","kind":"action_item","text":"清理","owner_agency":"shuiguohu/city_management","deadline":"\#(deadline)","finding_ids":["\#(findings.joined(separator: "\",\""))"]}"#
        }

        // another street's finding cannot be pulled in: 422, and nothing is recorded
        let pulled = try await Mesh.request(
            "POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action(UUID().uuidString, [ours, theirs]))
        #expect(pulled.status == 422 && pulled.text.contains("finding_ids"), "\(pulled.text)")
        let unknown = try await Mesh.request(
            "POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action(UUID().uuidString, [UUID().uuidString.lowercased()]))
        #expect(unknown.status == 422)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*)::int FROM meeting.linked_findings").first!.decode(Int.self, at: 0) == 0)

        // the street's own: one dispatched as the officer, the rejected one refused by patrold and shown so
        let item = UUID().uuidString
        #expect(
            try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action(item, [ours, rejected])).status
                == 200)
        var linked: [String: String] = [:]
        #expect(
            try await TestSupport.eventually {
                let detail = try Mesh.json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/action-items/\(item)", token: officer))
                for entry in (detail["linked_findings"] as? [[String: Any]]) ?? [] {
                    linked[((entry["finding_id"] as? String) ?? "").lowercased()] = entry["state"] as? String
                }
                return linked[ours] == "dispatched" && linked[rejected] == "refused"
            }, "\(linked)")
        let history =
            (try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/\(ours)", token: officer))["history"] as? [[String: Any]]) ?? []
        #expect(history.last?["actor"] as? String == "sgh-officer")
        let theirState =
            (try Mesh.json(
                try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/\(theirs)", token: try await TestKeys.token("c", .commandCentre, "district")))[
                "finding"] as? [String: Any])?["state"]
        #expect(theirState as? String == "submitted", "nanhu's finding was never touched")
        _ = try await meetingd.terminate()
        _ = try await patrold.terminate()
    }

    @Test func onlyAServiceActsForAPersonAndThenWithThatPersonsScopeOnly() async throws {
        let f = try await PatrolFixture()
        defer { f.database.drop() }
        let id = try await f.newFinding(f.zhangmin)
        let service = try await TestKeys.token("svc-meetingd", .service, "district")
        let transitions = "\(f.url)/v1/findings/\(id)/transitions"
        let dispatch = #"{"action":"dispatch"}"#
        let nanhuOfficer = Principal(subject: "nanhu-officer", role: .streetOfficer, scope: Scope("street:nanhu")!)
        let asNanhu = try await Mesh.request(
            "POST", transitions, token: service, json: dispatch, headers: [(Principal.onBehalfHeader, nanhuOfficer.onBehalfValue)])
        #expect(asNanhu.status == 404, "another street's officer does not see it: \(asNanhu.text)")
        let asWorker = Principal(subject: "zhangmin", role: .gridWorker, scope: Scope("grid:dongting-03")!)
        #expect(
            try await Mesh.request("POST", transitions, token: service, json: dispatch, headers: [(Principal.onBehalfHeader, asWorker.onBehalfValue)]).status
                == 403,
            "a grid worker does not dispatch, even through a service")
        #expect(
            try await Mesh.request("POST", transitions, token: f.officer, json: dispatch, headers: [(Principal.onBehalfHeader, nanhuOfficer.onBehalfValue)])
                .status
                == 403, "only a service acts for someone")
        for forged in ["svc-x admin district", "svc-x service district", "x street_officer planet:9", "only-a-subject"] {
            #expect(
                try await Mesh.request("POST", transitions, token: service, json: dispatch, headers: [(Principal.onBehalfHeader, forged)]).status == 400,
                "\(forged)")
        }
        #expect(try await f.get(f.officer, "/v1/findings/\(id)").text.contains("\"state\":\"submitted\""), "nothing was dispatched")
        let sgh = Principal(subject: "sgh-officer", role: .streetOfficer, scope: Scope("street:shuiguohu")!)
        let done = try await Mesh.request("POST", transitions, token: service, json: dispatch, headers: [(Principal.onBehalfHeader, sgh.onBehalfValue)])
        #expect(done.status == 200, "\(done.text)")
        let history = (try Mesh.json(try await f.get(f.officer, "/v1/findings/\(id)"))["history"] as? [[String: Any]]) ?? []
        #expect(history.last?["actor"] as? String == "sgh-officer", "the person's name is on the step")
    }
}

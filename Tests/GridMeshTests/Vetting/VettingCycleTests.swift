import Foundation
import GridCore
import Testing
import Vetting

@Suite("vettingd: four gates, two signers, rectification before a failed gate restarts")
struct VettingCycleTests {
    @Test func readinessFollowsTheGatesAndThePlan() {
        let passed = Dictionary(uniqueKeysWithValues: VettingGate.allCases.map { ($0, GateState.passed) })
        #expect(Readiness(gates: passed, hasContingencyPlan: true).ready)
        #expect(Readiness(gates: passed, hasContingencyPlan: false).reasons == ["no_contingency_plan"])
        var failed = passed
        failed[.audit] = .failed
        let blocked = Readiness(gates: failed, hasContingencyPlan: true)
        #expect(blocked.blocked && !blocked.ready && blocked.reasons == ["gate_failed:audit"])
        #expect(blocked.state(from: "ready") == "blocked")
        #expect(Readiness(gates: [:], hasContingencyPlan: false).reasons.count == 5)
        #expect(Readiness(gates: passed, hasContingencyPlan: true).state(from: "confirmed") == "confirmed")
    }

    @Test func aCycleCannotAdvanceWithAGateMissingOrOneSignerSigningTwice() async throws {
        let f = try await VettingFixture()
        // the district platform subscribes to readiness changes
        let platform = try await WebhookFixture.startReceiver(port: 0, recordFile: TestScratch.path("platform-\(UUID().uuidString.prefix(8)).jsonl"))
        let admin = try await TestKeys.token("admin", .admin, "district")
        let subscribed = try await Mesh.request(
            "POST", "\(f.url)/v1/webhooks", token: admin,
            json: #"{"id":"\#(UUID().uuidString)","url":"\#(platform.baseURL)/hooks/district","topics":["cycle.*"]}"#)
        let secret = try #require(try Mesh.json(subscribed)["secret"] as? String)
        #expect(try await Mesh.request("POST", "\(platform.baseURL)/control", json: #"{"secrets":["\#(secret)"]}"#).status == 204)
        let cycle = try await f.openCycle()
        let pool = f.database.pool(size: 1)
        defer { pool.close() }

        // the checklist feeds the gate; one officer cannot sign twice; two different officers pass it
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/signoffs", f.wu, #"{"decision":"pass","findings":"x"}"#).status == 409)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/start", f.wu).status == 200)
        let early = try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/signoffs", f.wu, #"{"decision":"pass","findings":"考察合格"}"#)
        #expect(early.status == 409 && early.text.contains("checklist"))
        try await f.completeChecklists(cycle, for: "inspection")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/signoffs", f.wu, #"{"decision":"pass","findings":"考察合格"}"#).status == 200)
        let twice = try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/signoffs", f.wu, #"{"decision":"pass","findings":"再签"}"#)
        #expect(twice.status == 409 && twice.text.contains("already-signed"))
        #expect(try await f.gateState(cycle, "inspection") == "in_progress", "one signature does not pass a gate")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/inspection/signoffs", f.zheng, #"{"decision":"pass","findings":"同意"}"#).status == 200)
        #expect(try await f.gateState(cycle, "inspection") == "passed")

        // rectification passes; the audit gate fails: the cycle is blocked and goes back through rectification
        try await f.pass(cycle, "rectification")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/start", f.wu).status == 200)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/signoffs", f.zheng, #"{"decision":"fail","findings":"发现集体资金问题"}"#).status == 200)
        #expect(try await f.cycleState(cycle) == "blocked")
        #expect(try await f.gateState(cycle, "rectification") == "in_progress", "rectification is reopened")
        let tooSoon = try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/start", f.wu)
        #expect(tooSoon.status == 409 && tooSoon.text.contains("rectify-first"))
        let reopened = try await f.send("POST", "/v1/cycles/\(cycle)/gates/rectification/signoffs", f.wu, #"{"decision":"pass","findings":"x"}"#)
        #expect(reopened.status == 200)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/rectification/signoffs", f.zheng, #"{"decision":"pass","findings":"整改到位"}"#).status == 200)
        try await f.pass(cycle, "audit")
        #expect(try await f.send("PUT", "/v1/cycles/\(cycle)/contingency-plan", f.wu, #"{"plan":"换届工作预案：应急处置小组、投票站安保、舆情应对"}"#).status == 200)

        // the assessment gate is missing: the date cannot be confirmed, the election cannot start
        let notReady = try await f.send("POST", "/v1/cycles/\(cycle)/confirm", f.wu, #"{"election_on":"2026-12-20"}"#)
        #expect(notReady.status == 409 && notReady.text.contains("gate_pending:assessment"))
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/election", f.wu).status == 409)
        #expect(try await f.cycleState(cycle) == "preparing")
        try await f.pass(cycle, "assessment")
        #expect(try await f.cycleState(cycle) == "ready")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/election", f.wu).status == 409, "the date is confirmed first")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/confirm", f.wu, #"{"election_on":"2026-12-20"}"#).status == 200)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/election", f.wu).status == 200)
        #expect(try await f.cycleState(cycle) == "election")

        let events = try await pool.query("SELECT topic, payload->>'gate' FROM mesh.events WHERE source = 'vettingd' ORDER BY id").map {
            "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String?.self, at: 1) ?? "")"
        }
        #expect(events.filter { $0 == "cycle.ready " }.count == 1 && events.contains("cycle.blocked ") && events.contains("gate.failed audit"))
        #expect(events.filter { $0.hasPrefix("gate.passed") }.count == 5)
        var types: [String] = []
        #expect(
            try await TestSupport.eventually {
                let received = try await Mesh.request("GET", "\(platform.baseURL)/received")
                types = ((try JSONSerialization.jsonObject(with: Data(received.body)) as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }
                return types.count == 2
            })
        #expect(types == ["cycle.blocked", "cycle.ready"], "the district platform hears of readiness by webhook")
        _ = try await platform.terminate()
        _ = try await f.vettingd.terminate()
    }

    @Test func anOfficerOfAnotherStreetIsRefusedAndBadInputIsAProblem() async throws {
        let f = try await VettingFixture()
        let cycle = try await f.openCycle()
        #expect(try await f.send("GET", "/v1/cycles/\(cycle)", f.otherStreet).status == 404)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/start", f.otherStreet).status == 404)
        let foreign = try await f.send(
            "POST", "/v1/cycles", f.otherStreet, #"{"id":"\#(UUID().uuidString)","community_code":"dongting","term":"2026","planned_election_on":"2026-12-20"}"#
        )
        #expect(foreign.status == 403)
        #expect(try await f.send("GET", "/v1/readiness?scope=street:shuiguohu", f.otherStreet).status == 403)
        #expect(try await f.send("GET", "/v1/cycles/\(cycle)", f.command).status == 200)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/start", f.command).status == 403, "the command centre reads only")
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        #expect(try await f.send("GET", "/v1/cycles", worker).status == 403)

        func problem(_ method: String, _ path: String, _ body: String?, _ status: Int) async throws {
            let response = try await f.send(method, path, f.wu, body)
            #expect(response.status == status, "\(method) \(path) \(body ?? "") -> \(response.status) \(response.text)")
            #expect(response.headers.first { $0.name.lowercased() == "content-type" }?.value == "application/problem+json")
        }
        try await problem(
            "POST", "/v1/cycles", #"{"id":"\#(UUID().uuidString)","community_code":"atlantis","term":"2026","planned_election_on":"2026-12-20"}"#, 422)
        try await problem(
            "POST", "/v1/cycles", #"{"id":"\#(UUID().uuidString)","community_code":"dongting","term":"26","planned_election_on":"2026-12-20"}"#, 422)
        try await problem(
            "POST", "/v1/cycles", #"{"id":"\#(UUID().uuidString)","community_code":"dongting","term":"2026","planned_election_on":"2026-12-20"}"#, 409)
        try await problem("POST", "/v1/cycles", #"{"id":"\#(UUID().uuidString)","community_code":"dongting","term":"2026","planned_election_on":"soon"}"#, 400)
        try await problem("POST", "/v1/cycles/\(cycle)/gates/vibes/start", nil, 404)
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/gates/audit/start", f.wu).status == 200)
        try await problem("POST", "/v1/cycles/\(cycle)/gates/audit/signoffs", #"{"decision":"maybe","findings":"x"}"#, 422)
        try await problem("POST", "/v1/cycles/\(cycle)/gates/audit/signoffs", #"{"decision":"pass","findings":""}"#, 422)
        try await problem("PUT", "/v1/cycles/\(cycle)/campaigns/survey/nonsense", #"{"done":true}"#, 404)
        try await problem("PUT", "/v1/cycles/\(cycle)/campaigns/party/x", #"{"done":true}"#, 404)
        try await problem("PUT", "/v1/cycles/\(cycle)/contingency-plan", #"{"plan":"  "}"#, 422)
        try await problem("POST", "/v1/cycles/\(cycle)/confirm", #"{}"#, 400)
        try await problem(
            "POST", "/v1/cycles/\(cycle)/candidates", #"{"id":"\#(UUID().uuidString)","seat":"king","person":{"name":"某","national_id":"123"}}"#, 422)
        try await problem("GET", "/v1/readiness?scope=grid:dongting-01", nil, 422)
        try await problem("GET", "/v1/cycles/not-a-uuid", nil, 400)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*)::int FROM vetting.cycles").first!.decode(Int.self, at: 0) == 1)
        #expect(try await pool.query("SELECT count(*)::int FROM vetting.signoffs").first!.decode(Int.self, at: 0) == 0)
        _ = try await f.vettingd.terminate()
    }
}

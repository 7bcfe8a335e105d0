import Foundation
import Webhooks

/// Friday: the squad's callback and 张敏's verification; 东亭's election vetting.
extension ShuiguohuWeek {
    func friday() async throws {
        try at("2026-11-20T08:00:00", "Friday 20 November")
        try await eventually("patrold escalates Monday's dispatch, past its deadline since midnight") {
            let detail = try await get("\(mesh.patrold)/v1/findings/\(ids.rubbish)", cast.officer)
            return detail["finding"]["overdue"].bool == true && detail["history"].array.contains { $0["action"].string == "escalate" }
        }
        settings.say("   (patrold: Monday's dispatch passed its deadline at midnight — escalated for supervision, 督办)")
        try at("2026-11-20T10:00:00", "Friday, 10:00")
        try await cornerCleared()
        try await pause()
        try at("2026-11-20T14:00:00", "Friday, 14:00")
        try await electionVetting()
        try await pause()
    }

    /// The squad's back office calls meetingd back, signed with its secret (Standard Webhooks).
    func squadCallback(_ body: String, secret: String) async throws -> Reply {
        let id = "msg_\(UUID().uuidString.lowercased())"
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = WebhookSignature.sign(id: id, timestamp: timestamp, body: Array(body.utf8), secret: secret) ?? ""
        return try await client.send(
            "POST", "\(mesh.meetingd)/v1/callbacks/agencies/shuiguohu%2Fcity_management/action-items", token: nil, body: body,
            headers: [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)])
    }

    func cornerCleared() async throws {
        begin(7, "The squad calls back: the corner is cleared; 张敏 verifies it, the findings close, she rates the handling")
        let body = #"{"action_item_id":"\#(ids.actionItem)","evidence":"转角垃圾已清运，加装垃圾桶 4 个"}"#
        let forged = try await squadCallback(body, secret: WebhookSignature.newSecret())
        try expect(forged.status == 401, "a callback signed with another secret is refused: \(forged.status)")
        let done = try await squadCallback(body, secret: settings.squadSecret)
        try expect(done.status == 200 && done.json["state"].string == "done", "the signed callback marks the action item done: \(done.text.prefix(300))")
        try await actionsDone(7)
        say("meetingd: the squad's signed callback marks the action item done (a forged one was refused)")
        try await expectDelivery("city-management", "action_item.completed", about: ids.actionItem)

        for finding in [ids.rubbish, ids.second] {
            try await eventually("patrold resolves finding \(finding) at meetingd's request") {
                try await get("\(mesh.patrold)/v1/findings/\(finding)", cast.zhangmin)["finding"]["state"].string == "resolved"
            }
        }
        say("meetingd → patrold: the linked findings are resolved, with the squad's evidence")

        try at("2026-11-20T11:00:00", "Friday, 11:00")
        let patrol = UUID().uuidString.lowercased()
        try await call("POST", "\(mesh.patrold)/v1/patrols", cast.zhangmin, #"{"id":"\#(patrol)"}"#, expect: 201)
        for finding in [ids.rubbish, ids.second] {
            try await call(
                "POST", "\(mesh.patrold)/v1/findings/\(finding)/transitions", cast.zhangmin, #"{"action":"verify","patrol_id":"\#(patrol)"}"#, expect: 200)
            try await call("POST", "\(mesh.patrold)/v1/findings/\(finding)/transitions", cast.officer, #"{"action":"close"}"#, expect: 200)
        }
        try await call("POST", "\(mesh.patrold)/v1/patrols/\(patrol)/end", cast.zhangmin, "{}", expect: 200)
        let rated = try await call(
            "POST", "\(mesh.patrold)/v1/findings/\(ids.rubbish)/rating", cast.zhangmin, #"{"rating":4,"comment":"清理及时，垃圾桶已装好"}"#, expect: 200
        ).json
        try await call("POST", "\(mesh.patrold)/v1/findings/\(ids.rubbish)/rating", cast.zhangmin, #"{"rating":5}"#, expect: 409)
        outcome.rating = rated["rating"].int
        say("patrold: 张敏 verifies both on her patrol; the street officer closes them; she rates the handling 4/5")
        for finding in [ids.rubbish, ids.second] {
            try await expectDelivery("city-management", "finding.resolved", about: finding)
            try await expectDelivery("city-management", "finding.closed", about: finding)
        }
        try await eventually("meetingd hears the linked findings closed") {
            let linked = try await get("\(mesh.meetingd)/v1/action-items/\(ids.actionItem)", cast.officer)["linked_findings"].array
            return linked.filter { $0["state"].string == "closed" }.count == 2
        }
    }

    static let checklists: [String: [(String, String)]] = [
        "inspection": [
            ("survey", "candidate_pool"), ("survey", "household_visits"), ("survey", "clan_and_gang_risks"), ("evaluation", "term_report"),
            ("evaluation", "evaluation_published"),
        ],
        "audit": [("audit", "collective_assets"), ("audit", "outgoing_accountability")],
        "rectification": [("rectification", "weak_organisation"), ("rectification", "issues_closed")],
        "assessment": [("assessment", "risk_assessment"), ("assessment", "joint_review"), ("reserve", "reserve_list"), ("reserve", "training_plan")],
    ]

    /// A gate's checklists ticked, the gate started and passed by two officers.
    func passGate(_ gate: String) async throws {
        let cycle = "\(mesh.vettingd)/v1/cycles/\(ids.cycle)"
        for (campaign, item) in Self.checklists[gate] ?? [] {
            try await call("PUT", "\(cycle)/campaigns/\(campaign)/\(item)", cast.wu, #"{"done":true}"#, expect: 200)
        }
        try await call("POST", "\(cycle)/gates/\(gate)/start", cast.wu, expect: 200)
        let signOff = #"{"decision":"pass","findings":"符合要求","evidence":["卷宗-\#(gate)"]}"#
        try await call("POST", "\(cycle)/gates/\(gate)/signoffs", cast.wu, signOff, expect: 200)
        if gate == "inspection" {
            let twice = try await call("POST", "\(cycle)/gates/\(gate)/signoffs", cast.wu, signOff, expect: 409)
            try expect(twice.text.contains("already-signed"), "one officer cannot sign a gate twice")
        }
        let passed = try await call("POST", "\(cycle)/gates/\(gate)/signoffs", cast.zheng, signOff, expect: 200).json
        let state = passed["gates"].array.first { $0["gate"].string == gate }?["state"].string
        try expect(state == "passed", "the \(gate) gate passes on two officers' sign-off: \(String(describing: state))")
    }

    func nominate(_ name: String, _ nationalID: String, seat: String) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(id)","seat":"\#(seat)","person":{"name":"\#(name)","national_id":"\#(nationalID)","gender":"男","party_member":true}}"#
        try await call("POST", "\(mesh.vettingd)/v1/cycles/\(ids.cycle)/candidates", cast.wu, body, expect: 201)
        for check in ["discipline_record", "qualifications"] {
            try await call("POST", "\(mesh.vettingd)/v1/candidates/\(id)/checks/\(check)", cast.wu, #"{"result":"pass","note":"无"}"#, expect: 200)
        }
        return id
    }

    func electionVetting() async throws {
        begin(8, "东亭's committee election: gates, candidate screening, readiness")
        for gate in ["inspection", "audit", "rectification"] { try await passGate(gate) }
        say("vettingd: inspection, audit and rectification gates passed, each signed by 吴 and 郑 (one officer signing twice was refused)")
        ids.wangCandidate = try await nominate(Self.wangQiang.name, Self.wangQiang.nationalID, seat: "director")
        ids.chenCandidate = try await nominate(Self.chenLi.name, Self.chenLi.nationalID, seat: "member")
        try await actionsDone(8)

        var screened = JSON(nil)
        try await eventually("王强's screening concludes") {
            screened = try await get("\(mesh.vettingd)/v1/candidates/\(ids.wangCandidate)", cast.wu)
            return screened["candidate"]["state"].string == "consider"
        }
        let checks = Dictionary(uniqueKeysWithValues: screened["checks"].array.map { ($0["kind"].string ?? "", $0) })
        try expect(checks["reentry_registry"]?["result"].string == "hit", "the reentry cross-check answers hit")
        try expect(checks["reentry_registry"]?["note"].isNull == true, "and nothing else")
        try expect(checks["clue_ledger"]?["result"].string == "no_hit", "the clue ledger has nothing on him")
        let text = "\(screened)"
        for leak in [ids.caseRef, "post_release", "strict", "dongting-05", "RC-"] {
            try expect(!text.contains(leak), "vetting learns only hit/no-hit, not \(leak)")
        }
        say("vettingd → reentryd: 王强 (same national ID as the case) — registry check \"hit\", nothing else; screening: consider")
        try await eventually("陈丽 is clear") {
            try await get("\(mesh.vettingd)/v1/candidates/\(ids.chenCandidate)", cast.wu)["candidate"]["state"].string == "clear"
        }
        say("vettingd: 陈丽 — no hit anywhere; clear")

        let review = #"{"decision":"adverse","reasons":["registry_hit"]}"#
        try await call("POST", "\(mesh.vettingd)/v1/candidates/\(ids.wangCandidate)/review", cast.wu, review, expect: 403)
        let notified = try await call("POST", "\(mesh.vettingd)/v1/candidates/\(ids.wangCandidate)/review", cast.zheng, review, expect: 200).json
        try expect(notified["state"].string == "notified", "an adverse review notifies him")
        try expect(notified["response_due_at"].string == "2026-11-27T15:59:59.999Z", "he may respond by next Friday: \(notified["response_due_at"])")
        say("vettingd: a second officer (郑; the nominator may not) reviews: adverse; 王强 is notified and may respond by Friday 27 November")

        try await passGate("assessment")
        let plan = #"{"plan":"换届工作预案：应急处置小组、投票站安保、舆情应对"}"#
        let ready = try await call("PUT", "\(mesh.vettingd)/v1/cycles/\(ids.cycle)/contingency-plan", cast.wu, plan, expect: 200).json
        outcome.cycleState = ready["cycle"]["state"].string
        try expect(ready["cycle"]["state"].string == "ready", "with every gate passed and a plan on file the cycle is ready: \(ready["blockers"])")
        let board = try await get("\(mesh.vettingd)/v1/readiness?scope=district&term=2026", cast.command)["totals"]
        outcome.readyCommunities = board["ready"].int
        try expect(board["ready"].int == 1 && board["communities"].int == 141, "the board shows 1 of 141 ready: \(board)")
        say("vettingd: the assessment gate passes, the contingency plan is on file — 东亭 is ready; the board shows 1 of 141")
        try await expectDelivery("district-platform", "cycle.ready", about: ids.cycle)
        for (name, id) in [("王强", ids.wangCandidate), ("陈丽", ids.chenCandidate)] {
            outcome.candidates[name] = try await get("\(mesh.vettingd)/v1/candidates/\(id)", cast.wu)["candidate"]["state"].string
        }
    }
}

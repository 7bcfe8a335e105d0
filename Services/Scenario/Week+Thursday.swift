import Foundation

/// Thursday: the "五长" meeting of Shuiguohu street.
extension ShuiguohuWeek {
    func thursday() async throws {
        try at("2026-11-19T08:00:00", "Thursday 19 November")
        try await agendaBuildsItself()
        try await pause()
        try at("2026-11-19T09:30:00", "Thursday, 09:30")
        try await theMeeting()
        try await pause()
    }

    func agendaBuildsItself() async throws {
        begin(5, "The street's coordination meeting: the agenda has built itself")
        ids.meeting = try await meeting(startingAt: "2026-11-19T01:30:00.000Z")
        let minutes = "\(mesh.meetingd)/v1/meetings/\(ids.meeting)"
        try await call("POST", "\(minutes)/agenda-items", cast.policeHead, #"{"title":"东亭路夜市占道回潮，需联合执法","severity":2}"#, expect: 200)
        try await actionsDone(5)
        var agenda: [JSON] = []
        // the reentry count settles once meetingd has heard of Wednesday's visit too (a restarted
        // meetingd may still be catching up on its deliveries)
        try await eventually("the agenda has the hotspot, the settled reentry count, the overdue order and the member's item") {
            agenda = try await get(minutes, cast.policeHead)["agenda"].array
            let kinds = Set(agenda.compactMap { $0["kind"].string })
            let reentry = agenda.first { $0["kind"].string == "reentry_alerts" }?["title"].string ?? ""
            return kinds.isSuperset(of: ["hotspot", "reentry_alerts", "overdue_rectification", "member_item"]) && reentry.hasSuffix("（均已补上）")
        }
        let reentry = agenda.first { $0["kind"].string == "reentry_alerts" }?["title"].string ?? ""
        try expect(reentry == "帮教：东亭社区 1 次联系逾期（均已补上）", "a count of overdue reentry contacts in 东亭, no case: \(reentry)")
        let order = agenda.first { $0["kind"].string == "overdue_rectification" }?["title"].string ?? ""
        try expect(order == "逾期未整改：水果湖食药监所 整改东亭农贸市场无证餐饮（期限 2026-11-18）", "last week's order, overdue, names its target: \(order)")
        try expect(!agenda.contains { $0["kind"].string == "overdue_finding" }, "no dispatch is overdue yet (Monday's is due tonight)")
        for item in agenda { say("agenda \(item["position"].int ?? 0). \(item["title"].string ?? "")") }
    }

    func theMeeting() async throws {
        let minutes = "\(mesh.meetingd)/v1/meetings/\(ids.meeting)"
        let present = Self.present4.map { "\"\($0)\"" }.joined(separator: ",")
        let started = try await call("POST", "\(minutes)/start", cast.officer, #"{"present":[\#(present)]}"#, expect: 200).json
        try expect(started["agenda_frozen"].bool == true && started["absent"].strings == ["shuiguohu/food_and_drug"], "four of five heads: \(started)")
        outcome.agenda = started["agenda"].array.compactMap { $0["kind"].string }
        try expectNothingPersonal(in: "\(started)", "the meeting's agenda")
        say("meetingd: four of the five heads attend (food and drug is absent) — quorum; the agenda is frozen")

        begin(6, "Decision: the squad clears the corner and installs bins within 5 working days")
        let position = started["agenda"].array.first { $0["kind"].string == "hotspot" }?["position"].int ?? 1
        ids.actionItem = UUID().uuidString.lowercased()
        let findings = [ids.rubbish, ids.duplicate, ids.second].map { "\"\($0)\"" }.joined(separator: ",")
        let item =
            #"{"id":"\#(ids.actionItem)","agenda_position":\#(position),"kind":"action_item","text":"清理东亭三街转角并加装垃圾桶","owner_agency":"shuiguohu/city_management","deadline":"2026-11-26","finding_ids":[\#(findings)]}"#
        try await call("POST", "\(minutes)/outcomes", cast.officer, item, expect: 200)
        try await call("POST", "\(minutes)/close", cast.officer, expect: 200)
        try await actionsDone(6)

        try await eventually("patrold dispatched the new finding at meetingd's request") {
            let detail = try await get("\(mesh.patrold)/v1/findings/\(ids.second)", cast.officer)
            return detail["finding"]["state"].string == "dispatched" && detail["finding"]["agency_code"].string == "shuiguohu/city_management"
                && detail["history"].array.last?["actor"].string == "sgh-officer"
        }
        say("meetingd → patrold: the three findings are linked; the new one is dispatched to the squad (the others already were, or are merged)")
        try await expectDelivery("city-management", "finding.dispatched", about: ids.second)
        try await expectDelivery("city-management", "action_item.assigned", about: ids.actionItem)
        let late = try await call(
            "POST", "\(minutes)/outcomes", cast.officer, #"{"id":"\#(UUID().uuidString)","kind":"information","text":"会后补记"}"#, expect: 409)
        try expect(late.json["type"].string?.hasSuffix("/minutes-frozen") == true, "closed minutes cannot change: \(late.text)")
        say("meetingd: the meeting closes; its minutes can no longer change")
    }
}

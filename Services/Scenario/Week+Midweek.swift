import Foundation
import GridCore

/// Tuesday and Wednesday: more rubbish and a hotspot; 王强's overdue first home visit.
extension ShuiguohuWeek {
    func tuesdayAndWednesday() async throws {
        try at("2026-11-17T09:00:00", "Tuesday 17 November")
        try await call(
            "POST", "\(mesh.meetingd)/v1/action-items/\(ids.nightMarketItem)/changes", cast.marketHead, #"{"change":"done","evidence":"夜市摊点已规范入场"}"#,
            expect: 200)
        settings.say("   (meetingd: market regulation reports last week's night-market item done, on its due day)")
        try at("2026-11-17T10:00:00", "Tuesday, 10:00")
        try await moreRubbish()
        try await pause()
        try at("2026-11-17T16:00:00", "Tuesday, 16:00")
        try await overdueHomeVisit()
        try await pause()
    }

    func moreRubbish() async throws {
        begin(3, "Two more rubbish findings in grid 东亭-03: a duplicate 40 m away, merged; a new one; a hotspot")
        ids.duplicate = UUID().uuidString.lowercased()
        try await call(
            "POST", "\(mesh.patrold)/v1/findings", cast.chenjie, findingBody(ids.duplicate, at: Self.fortyMetresOff, description: "路口有一堆垃圾"), expect: 201)
        let candidates = try await get("\(mesh.patrold)/v1/findings/\(ids.duplicate)/merge-candidates", cast.officer).array
        let original = candidates.first { $0["finding"]["id"].id == ids.rubbish }
        let metres = original?["distance_metres"].double ?? -1
        try expect((30...50).contains(metres), "Monday's finding is flagged as a possible duplicate about 40 m away: \(candidates)")
        try await call(
            "POST", "\(mesh.patrold)/v1/findings/\(ids.duplicate)/transitions", cast.officer, #"{"action":"merge","merge_into":"\#(ids.rubbish)"}"#,
            expect: 200)
        say("patrold: 陈杰's report is flagged as a possible duplicate (\(Int(metres)) m away); the street officer merges it")
        try at("2026-11-17T15:00:00", "Tuesday, 15:00")
        ids.second = UUID().uuidString.lowercased()
        try await call(
            "POST", "\(mesh.patrold)/v1/findings", cast.zhangmin, findingBody(ids.second, at: Self.otherCorner, description: "东亭二街垃圾桶满溢"), expect: 201)
        try await actionsDone(3)

        var hotspot = JSON(nil)
        try await eventually("a grid hotspot in 东亭-03") {
            hotspot =
                try await get("\(mesh.patrold)/v1/hotspots?street=shuiguohu", cast.officer).array.first {
                    $0["level"].string == "grid" && $0["area_code"].string == "dongting-03"
                } ?? JSON(nil)
            return !hotspot.isNull
        }
        ids.hotspot = hotspot["hotspot_id"].id ?? ""
        outcome.hotspotFindings = hotspot["finding_count"].int
        try expect(hotspot["finding_count"].int == 3, "three findings make the hotspot, the merged one counted once: \(hotspot)")
        let merged = try await get("\(mesh.patrold)/v1/findings/\(ids.duplicate)", cast.officer)["finding"]
        try expect(merged["state"].string == "merged" && merged["merged_into"].id == ids.rubbish, "the duplicate is merged into Monday's")
        say("patrold: hotspot.detected — grid 东亭-03, environmental sanitation, 3 findings this week")
    }

    func overdueHomeVisit() async throws {
        begin(4, "王强's first home visit, due within 14 days of release, was not done")
        try await actionsDone(4)
        for (who, caseworker) in [("刘社工", cast.liu), ("赵警官", cast.zhao)] {
            try await eventually("\(who) is alerted") {
                try await get("\(mesh.reentryd)/v1/alerts", caseworker).array.contains {
                    $0["kind"].string == "contact_overdue" && $0["contact_type"].string == "home_visit" && $0["case_ref"].string == ids.caseRef
                }
            }
        }
        let escalatedEarly = try await get("\(mesh.reentryd)/v1/alerts", cast.supervisor).array.contains { $0["kind"].string == "contact_escalated" }
        try expect(!escalatedEarly, "the supervisor is not alerted within the grace period")
        let due = try await get("\(mesh.reentryd)/v1/due?community=dongting", cast.liu).array
        try expect(
            due.contains { $0["case_ref"].string == ids.caseRef && $0["contact_type"].string == "home_visit" && $0["state"].string == "overdue" },
            "the due list shows the overdue home visit")
        let record = try await get("\(mesh.reentryd)/v1/cases/\(ids.caseID)", cast.liu)
        try expect(record["person"]["name"].string == Self.wangQiang.name, "inside reentryd, the pair sees whom they supervise")
        say("reentryd: overdue since Monday; the pair (刘社工, 赵警官) is alerted; 刘社工 opens the case record (the read is audited)")

        try at("2026-11-18T09:00:00", "Wednesday 18 November")
        try await eventually("the supervisor is alerted after the grace period") {
            try await get("\(mesh.reentryd)/v1/alerts", cast.supervisor).array.contains {
                $0["kind"].string == "contact_escalated" && $0["case_ref"].string == ids.caseRef
            }
        }
        var visit = JSON(nil)
        var visitList = ""
        try await eventually("patrold has a visit request for grid 东亭-05") {
            let reply = try await call("GET", "\(mesh.patrold)/v1/visit-requests", cast.lihua, expect: 200)
            visitList = reply.text
            visit = reply.json.array.first { $0["case_id"].string == ids.caseRef } ?? JSON(nil)
            return !visit.isNull
        }
        try expect(visit["grid_code"].string == "dongting-05", "the visit is asked for grid 东亭-05")
        try expectNothingPersonal(in: visitList, "patrold's visit requests")
        say("reentryd: past the grace period — supervisor 孙主任 alerted; patrold asked for a home visit in 东亭-05, carrying only \(ids.caseRef)")

        try at("2026-11-18T14:00:00", "Wednesday, 14:00")
        let visitID = visit["id"].id ?? ""
        let report = #"{"visited_at":"\#(RFC3339.format(meshNow.addingTimeInterval(-600)))","outcome":"met"}"#
        try await call("POST", "\(mesh.patrold)/v1/visit-requests/\(visitID)/report", cast.lihua, report, expect: 200)
        var contacts: [JSON] = []
        try await eventually("reentryd records the visit as a home-visit contact") {
            contacts = try await get("\(mesh.reentryd)/v1/cases/\(ids.caseID)/contacts", cast.liu).array
            return contacts.contains { $0["visit_request_id"].id == visitID && $0["contact_type"].string == "home_visit" }
        }
        outcome.contactsRecorded = contacts.count
        let obligations = try await get("\(mesh.reentryd)/v1/cases/\(ids.caseID)/obligations", cast.liu).array
        let first = obligations.first { $0["rule"].string == "first" && $0["contact_type"].string == "home_visit" }
        outcome.firstHomeVisit = first?["state"].string
        try expect(first?["state"].string == "late", "the first home visit is met, late: \(String(describing: first))")
        let stillOverdue = try await get("\(mesh.reentryd)/v1/due?community=dongting", cast.liu).array.contains { $0["state"].string == "overdue" }
        try expect(!stillOverdue, "nothing is overdue in 东亭 any more")
        say("patrold → reentryd: grid worker 李华 visits and reports; reentryd records a home-visit contact (late); the overdue clears")
    }

    /// No name, ID number, address or phone of the reentry case — not even the surname.
    func expectNothingPersonal(in text: String, _ place: String) throws {
        let w = Self.wangQiang
        for secret in [w.name, w.nationalID, w.address, w.phone, "王", "东亭路 18 号"] {
            try expect(!text.contains(secret), "\(place) holds nothing personal of the reentry case (found \(secret))")
        }
    }
}

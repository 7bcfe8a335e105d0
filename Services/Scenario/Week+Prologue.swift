import Foundation
import GridCore

/// Before the week: what the street already had on Monday morning.
extension ShuiguohuWeek {
    /// 王强, as the scenario names him; the ID number is a valid made-up one.
    public static let wangQiang = (name: "王强", nationalID: "420106198001011237", address: "东亭路 18 号 3 单元 502", phone: "13800138000")
    public static let chenLi = (name: "陈丽", nationalID: "420106198512124567")
    /// Where the week's clock starts; a mesh for the week starts its daemons there already, so
    /// nothing of the real day (a Sunday-night bulletin, say) happens before the prologue.
    public static let beginning = "2026-11-02T09:00:00+08:00"
    static let present4 = ["shuiguohu/city_management", "shuiguohu/police_station", "shuiguohu/judicial_office", "shuiguohu/market_regulation"]

    func prologue() async throws {
        step = "prologue"
        settings.say("A week in Shuiguohu street (水果湖街道), played through the mesh.")
        try at(String(Self.beginning.dropLast(6)), "Before the week: Monday 2 November")
        try await subscribeBackOffices()

        // 王强 was released from prison on 1 November: the street's supervisor opens his case
        ids.caseID = UUID().uuidString.lowercased()
        let w = Self.wangQiang
        let caseBody = """
            {"id":"\(ids.caseID)","kind":"post_release","level":"strict","starts_on":"2026-11-01","ends_on":"2029-10-31",
             "residence_grid":"dongting-05","community_worker":"caseworker-liu","police_officer":"officer-zhao",
             "person":{"name":"\(w.name)","national_id":"\(w.nationalID)","gender":"男","address":"\(w.address)","phone":"\(w.phone)"},
             "support_plan":[{"area":"employment","details":"联系社区就业站推荐岗位"},{"area":"housing","details":"核实租住情况"}]}
            """
        let opened = try await call("POST", "\(mesh.reentryd)/v1/cases", cast.supervisor, caseBody, expect: 201).json
        ids.caseRef = opened["case_ref"].string ?? ""
        try expect(ids.caseRef.hasPrefix("RC-"), "the case has a pseudonymous ref")
        say("reentryd: supervisor 孙主任 opens a post-release case (strict, grid 东亭-05), pair 刘社工 + 赵警官 → \(ids.caseRef)")

        // the street's weekly coordination meeting: every Thursday 09:30
        ids.series = UUID().uuidString.lowercased()
        let series =
            #"{"id":"\#(ids.series)","title":"水果湖街道五长碰头会","rrule":"FREQ=WEEKLY;BYDAY=TH","first_start":"2026-11-05T09:30:00+08:00","duration_minutes":90,"location":"街道办三楼会议室"}"#
        try await call("POST", "\(mesh.meetingd)/v1/streets/shuiguohu/series", cast.officer, series, expect: 201)
        say("meetingd: the street officer schedules the 五长 meeting every Thursday 09:30")

        // 东亭's committee election cycle begins
        ids.cycle = UUID().uuidString.lowercased()
        let cycle = #"{"id":"\#(ids.cycle)","community_code":"dongting","term":"2026","planned_election_on":"2026-12-20"}"#
        try await call("POST", "\(mesh.vettingd)/v1/cycles", cast.wu, cycle, expect: 201)
        say("vettingd: election officer 吴 opens 东亭's election cycle (term 2026, election planned 20 December)")

        try at("2026-11-05T10:00:00", "Thursday 5 November")
        let phone =
            #"{"id":"\#(UUID().uuidString.lowercased())","contact_type":"phone","method":"phone","location":"remote","outcome":"completed","occurred_at":"\#(RFC3339.format(meshNow))"}"#
        try await call("POST", "\(mesh.reentryd)/v1/cases/\(ids.caseID)/contacts", cast.zhao, phone, expect: 201)
        say("reentryd: 赵警官 phones him (the phone check-in of his first ten working days); no home visit yet")

        try await lastWeeksMeeting()
        try await pause()
    }

    /// Thursday 12 November: last week's meeting left an action item for market regulation and a
    /// rectification order for food and drug, both due during the week.
    func lastWeeksMeeting() async throws {
        try at("2026-11-12T09:30:00", "Thursday 12 November, last week's meeting")
        ids.lastWeekMeeting = try await meeting(startingAt: "2026-11-12T01:30:00.000Z")
        let everyone = (Self.present4 + ["shuiguohu/food_and_drug"]).map { "\"\($0)\"" }.joined(separator: ",")
        try await call("POST", "\(mesh.meetingd)/v1/meetings/\(ids.lastWeekMeeting)/start", cast.officer, #"{"present":[\#(everyone)]}"#, expect: 200)
        ids.nightMarketItem = UUID().uuidString.lowercased()
        let item =
            #"{"id":"\#(ids.nightMarketItem)","kind":"action_item","text":"整治东亭路夜市占道经营","owner_agency":"shuiguohu/market_regulation","deadline":"2026-11-17"}"#
        try await call("POST", "\(mesh.meetingd)/v1/meetings/\(ids.lastWeekMeeting)/outcomes", cast.officer, item, expect: 200)
        ids.foodOrder = UUID().uuidString.lowercased()
        let order =
            #"{"id":"\#(ids.foodOrder)","target_kind":"agency","target_code":"shuiguohu/food_and_drug","notice":"整改东亭农贸市场无证餐饮","deadline":"2026-11-18","meeting_id":"\#(ids.lastWeekMeeting)"}"#
        try await call("POST", "\(mesh.meetingd)/v1/streets/shuiguohu/rectifications", cast.officer, order, expect: 201)
        try await call("POST", "\(mesh.meetingd)/v1/meetings/\(ids.lastWeekMeeting)/close", cast.officer, expect: 200)
        say("meetingd: an action item for market regulation (night market, due 17 Nov) and a rectification order for food and drug (due 18 Nov)")
    }

    /// The id of the street's meeting that starts at `startsAt` (UTC, as meetingd writes it).
    func meeting(startingAt startsAt: String) async throws -> String {
        let meetings = try await get("\(mesh.meetingd)/v1/streets/shuiguohu/meetings?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z", cast.officer).array
        guard let id = meetings.first(where: { $0["starts_at"].string == startsAt })?["id"].id else {
            throw ScenarioFailure(step: step, expectation: "a scheduled meeting at \(startsAt)")
        }
        return id
    }
}

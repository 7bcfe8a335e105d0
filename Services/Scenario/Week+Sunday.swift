import Foundation

/// Sunday night: the weekly bulletins publish themselves.
extension ShuiguohuWeek {
    func sundayNight() async throws {
        try at("2026-11-22T20:05:00", "Sunday 22 November, 20:05")
        begin(9, "The weekly bulletins of Shuiguohu street and of the district publish themselves")
        try await actionsDone(9)
        for (scope, reader) in [("street:shuiguohu", cast.officer), ("district", cast.command)] {
            var bulletin = JSON(nil)
            try await eventually("the \(scope) bulletin of the week") {
                let url = "\(mesh.meetingd)/v1/bulletins/latest?scope=\(scope)"
                let reply = try await client.send("GET", url, token: try await reader.token(for: url))
                bulletin = reply.json
                return reply.status == 200 && bulletin["week_start"].string == "2026-11-16"
            }
            let orders = bulletin["overdue_rectifications"].array
            let items = bulletin["overdue_action_items"].array
            let rates = bulletin["on_time"].array
            let hotspots = bulletin["new_hotspots"].array
            try expect(
                orders.map { "\($0["target_code"].string ?? "") \($0["target_name"].string ?? "")" } == ["shuiguohu/food_and_drug 水果湖食药监所"],
                "the overdue rectification order is named with its owner: \(orders)")
            try expect(items.isEmpty, "no action item is overdue (the squad's is due on the 26th): \(items)")
            try expect(
                rates.map { "\($0["agency_code"].string ?? "") \($0["on_time"].int ?? -1)/\($0["due"].int ?? -1)" } == ["shuiguohu/market_regulation 1/1"],
                "on-time rates of the items due this week: \(rates)")
            try expect(hotspots.count == 1 && (hotspots[0]["title"].string ?? "") == "热点：网格 东亭-03 的环境卫生问题 3 起", "the new hotspot: \(hotspots)")
            try expect(bulletin["meetings_held"].int == 1, "one meeting held this week")
            outcome.bulletins[scope] = [
                "orders \(orders.compactMap { $0["target_code"].string })", "items \(items.count)", "hotspots \(hotspots.count)",
                "rates \(rates.map { "\($0["agency_code"].string ?? "") \($0["on_time"].int ?? -1)/\($0["due"].int ?? -1)" })",
            ]
            try await expectDelivery("district-platform", "bulletin.published", about: bulletin["id"].id ?? "")
            say(
                "meetingd: \(scope) — overdue: 食药监所 order \"\(orders.first?["notice"].string ?? "")\"; on time: 工商所 1/1; new hotspot: \(hotspots.first?["title"].string ?? "")"
            )
        }
        try await pause()
    }
}

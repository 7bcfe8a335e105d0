import Foundation
import GridCore
import Testing

@Suite("meetingd: the weekly bulletin")
struct BulletinTests {
    @Test func theBulletinNamesExactlyTheOverdueItemsAndOrdersWithTheirOwners() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database)
        let url = meetingd.baseURL
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let command = try await TestKeys.token("command", .commandCentre, "district")
        let head = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let today = TestClock.today
        let meeting = UUID().uuidString
        let extra = #"{"id":"\#(meeting)","title":"碰头会","starts_at":"\#(TestClock.rfc3339(60))","duration_minutes":60}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/meetings", token: officer, json: extra).status == 201)
        let all =
            #"{"present":["shuiguohu/city_management","shuiguohu/police_station","shuiguohu/judicial_office","shuiguohu/market_regulation","shuiguohu/food_and_drug"]}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/meetings/\(meeting)/start", token: officer, json: all).status == 200)
        let late = UUID().uuidString
        let onTrack = UUID().uuidString
        for (id, owner, text) in [(late, "city_management", "清理东亭转角"), (onTrack, "police_station", "夜间巡逻")] {
            let body = #"{"id":"\#(id)","kind":"action_item","text":"\#(text)","owner_agency":"shuiguohu/\#(owner)","deadline":"\#(today.adding(days: 3))"}"#
            #expect(try await Mesh.request("POST", "\(url)/v1/meetings/\(meeting)/outcomes", token: officer, json: body).status == 200)
        }
        let order = UUID().uuidString
        let orderBody = #"{"id":"\#(order)","target_kind":"agency","target_code":"shuiguohu/food_and_drug","notice":"整改无证餐饮","deadline":"\#(TestClock.today)"}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/rectifications", token: officer, json: orderBody).status == 201)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE meeting.action_items SET deadline = $2 WHERE id = $1", [UUID(uuidString: late)!, today.adding(days: -1)])
        try await pool.query("UPDATE meeting.rectifications SET deadline = $2 WHERE id = $1", [UUID(uuidString: order)!, today.adding(days: -2)])

        #expect(
            try await Mesh.request("POST", "\(url)/v1/bulletins", token: head, json: #"{"scope":"street:shuiguohu"}"#).status == 403,
            "heads read, officers publish")
        #expect(try await Mesh.request("POST", "\(url)/v1/bulletins", token: officer, json: #"{"scope":"district"}"#).status == 404)
        #expect(try await Mesh.request("POST", "\(url)/v1/bulletins", token: officer, json: #"{"scope":"planet"}"#).status == 422)
        let published = try await Mesh.request("POST", "\(url)/v1/bulletins", token: officer, json: #"{"scope":"street:shuiguohu"}"#)
        #expect(published.status == 201)
        let bulletin = try Mesh.json(published)
        let items = (bulletin["overdue_action_items"] as? [[String: Any]]) ?? []
        #expect(items.compactMap { ($0["id"] as? String)?.lowercased() } == [late.lowercased()])
        #expect(items.first?["owner_agency_name"] as? String == "水果湖城管中队")
        let orders = (bulletin["overdue_rectifications"] as? [[String: Any]]) ?? []
        #expect(orders.compactMap { ($0["id"] as? String)?.lowercased() } == [order.lowercased()])
        #expect(orders.first?["target_name"] as? String == "水果湖食药监所")

        let page = try await Mesh.request("GET", "\(url)/v1/bulletins/latest?scope=street:shuiguohu&format=html", token: head)
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("清理东亭转角") && page.text.contains("水果湖城管中队") && !page.text.contains("夜间巡逻"))
        // in the readers' words and time: the street by name, days and the time made in Beijing's way
        #expect(page.text.contains("范围：水果湖街道") && !page.text.contains("shuiguohu 街道"))
        #expect(page.text.range(of: #"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"#, options: .regularExpression) != nil)
        #expect(page.text.range(of: #"周期：\d{4}年\d{1,2}月\d{1,2}日 至"#, options: .regularExpression) != nil)
        #expect(!page.text.contains("Z</p>"), "no UTC instant on the page")
        #expect(try await Mesh.request("GET", "\(url)/v1/bulletins/latest?scope=street:nanhu", token: head).status == 404)

        let district = try Mesh.json(try await Mesh.request("POST", "\(url)/v1/bulletins", token: command, json: #"{"scope":"district"}"#))
        #expect((district["overdue_action_items"] as? [Any])?.count == 1)
        // each bulletin published is announced once (a Sunday evening adds meetingd's own, not counted here)
        let bulletinIDs = try [bulletin, district].map { try #require(($0["id"] as? String)?.lowercased()) }
        let announced = try await pool.query(
            "SELECT lower(payload->>'bulletin_id') FROM mesh.events WHERE topic = 'bulletin.published' AND lower(payload->>'bulletin_id') = ANY($1)",
            [bulletinIDs]
        ).map { try $0.decode(String.self, at: 0) }
        #expect(announced.sorted() == bulletinIDs.sorted())
        _ = try await meetingd.terminate()
    }
}

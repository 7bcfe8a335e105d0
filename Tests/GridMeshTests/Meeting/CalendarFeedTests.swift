import Foundation
import GridCore
import Testing

@Suite("meetingd: calendar feed capabilities instead of tokens in URLs")
struct CalendarFeedTests {
    @Test func aFeedURLReadsItsOneFeedUntilRevokedOrItsOwnerMoves() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database)
        let url = meetingd.baseURL
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let head = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let elsewhere = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        let appoint = #"{"agency_code":"shuiguohu/city_management","subject":"sgh-city","display_name":"城管中队长","since":"2026-01-01"}"#
        #expect(try await Mesh.request("PUT", "\(url)/v1/streets/shuiguohu/members", token: officer, json: appoint).status == 200)
        let meeting = UUID().uuidString.lowercased()
        let scheduled = #"{"id":"\#(meeting)","title":"五长碰头会","starts_at":"\#(TestClock.rfc3339(86400))","duration_minutes":60}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/meetings", token: officer, json: scheduled).status == 201)

        // the officer makes a feed for the phone's calendar: its URL is the whole credential
        let made = try await Mesh.request("POST", "\(url)/v1/calendar-feeds", token: officer, json: #"{"kind":"street","street":"shuiguohu","label":"手机日历"}"#)
        #expect(made.status == 201, "\(made.text)")
        let feedURL = try #require(try Mesh.json(made)["url"] as? String)
        let feedID = try #require(try Mesh.json(made)["id"] as? String)
        let capability = try #require(feedURL.split(separator: "/").last.map { String($0.dropLast(4)) })
        #expect(capability.hasPrefix("gmcal_") && capability.count > 40)
        let read = try await Mesh.request("GET", feedURL)
        #expect(read.status == 200 && read.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(read.text.contains("UID:\(meeting)"), "\(read.text)")
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(url)/v1/calendar-feeds", token: officer).body)) as? [[String: Any]])
        #expect(listed.count == 1 && listed[0]["url"] == nil && listed[0]["last_read_at"] != nil, "listed without the capability: \(listed)")
        #expect(!listed.description.contains(capability))
        // a calendar app polling again within the minute is a read, not a write
        #expect(try await Mesh.request("GET", feedURL).status == 200)
        let again = try #require(
            try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(url)/v1/calendar-feeds", token: officer).body)) as? [[String: Any]])
        #expect(again[0]["last_read_at"] as? String == listed[0]["last_read_at"] as? String)

        // the capability opens that feed and nothing else
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/meetings", token: capability).status == 401)
        #expect(try await Mesh.request("GET", "\(url)/v1/feeds/gmcal_\(String(repeating: "x", count: 43)).ics").status == 404)
        #expect(try await Mesh.request("GET", "\(url)/v1/feeds/\(capability).json").status == 404)

        // what may and may not have a feed
        func make(_ token: String, _ json: String) async throws -> Int {
            try await Mesh.request("POST", "\(url)/v1/calendar-feeds", token: token, json: json).status
        }
        #expect(try await make(elsewhere, #"{"kind":"street","street":"shuiguohu","label":"x"}"#) == 404, "another street's")
        #expect(try await make(officer, #"{"kind":"member","label":"x"}"#) == 403, "an officer sits on no committee")
        #expect(try await make(officer, #"{"kind":"street","label":"x"}"#) == 422)
        #expect(try await make(officer, #"{"kind":"street","street":"shuiguohu","label":""}"#) == 422)
        let member = try await Mesh.request("POST", "\(url)/v1/calendar-feeds", token: head, json: #"{"kind":"member","label":"办公室电脑"}"#)
        #expect(member.status == 201)
        let memberFeed = try await Mesh.request("GET", try #require(try Mesh.json(member)["url"] as? String))
        #expect(memberFeed.status == 200 && memberFeed.text.contains("UID:\(meeting)"))

        // another person cannot revoke it; its owner can, and the URL stops answering
        #expect(try await Mesh.request("DELETE", "\(url)/v1/calendar-feeds/\(feedID)", token: elsewhere).status == 404)
        #expect(try await Mesh.request("GET", feedURL).status == 200)
        #expect(try await Mesh.request("DELETE", "\(url)/v1/calendar-feeds/\(feedID)", token: officer).status == 204)
        #expect(try await Mesh.request("GET", feedURL).status == 404)
        #expect(try await Mesh.request("DELETE", "\(url)/v1/calendar-feeds/\(feedID)", token: officer).status == 404)

        // a feed reads with its owner's authority as the directory has it now: transferred, it is gone
        let second = try await Mesh.request("POST", "\(url)/v1/calendar-feeds", token: officer, json: #"{"kind":"street","street":"shuiguohu","label":"平板"}"#)
        let secondURL = try #require(try Mesh.json(second)["url"] as? String)
        #expect(try await Mesh.request("GET", secondURL).status == 200)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        _ = try await pool.query("UPDATE geo.accounts SET scope = 'street:nanhu' WHERE subject = 'sgh-officer'")
        #expect(try await Mesh.request("GET", secondURL).status == 404)

        let audited = try await pool.query("SELECT action FROM mesh.audit_log WHERE chain = 'meetingd' ORDER BY seq").map { try $0.decode(String.self, at: 0) }
        #expect(audited.filter { $0 == "calendar_feed.create" }.count == 3 && audited.contains("calendar_feed.revoke"), "\(audited)")
        let stored = try await pool.query("SELECT count(*) FROM meeting.calendar_feeds WHERE capability_hash = sha256(convert_to($1, 'UTF8'))", [capability])
        #expect(try stored.first!.decode(Int.self, at: 0) == 1, "only the capability's SHA-256 is kept")
        #expect(!meetingd.log.contains(capability), "no capability in the log")
    }
}

import Foundation
import GridCore
import Testing

@Suite("meetingd: committees, schedules and calendar feeds")
struct ScheduleTests {
    /// Unfolds and splits an iCalendar text into its VEVENTs' properties.
    func events(_ ics: String) -> [[String: String]] {
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        var events: [[String: String]] = []
        var current: [String: String]?
        for line in unfolded.components(separatedBy: "\r\n") {
            if line == "BEGIN:VEVENT" {
                current = [:]
            } else if line == "END:VEVENT" {
                events.append(current!)
                current = nil
            } else if current != nil, let colon = line.firstIndex(of: ":") {
                current![String(line[..<colon])] = String(line[line.index(after: colon)...])
                    .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\n", with: "\n")
            }
        }
        return events
    }

    @Test func aWeeklySeriesItsChangesAndTheICSFeedsThatParseBackToTheSameMeetings() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start("meetingd", database: database)
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let head = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        let elsewhere = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        let url = meetingd.baseURL

        // the five heads; the city squad's head changes later, history kept
        for (agency, subject) in [
            ("judicial_office", "sgh-judicial"), ("police_station", "sgh-police"), ("market_regulation", "sgh-market"), ("food_and_drug", "sgh-food"),
            ("city_management", "sgh-city-old"),
        ] {
            let body = #"{"agency_code":"shuiguohu/\#(agency)","subject":"\#(subject)","display_name":"\#(subject)","since":"2026-01-01"}"#
            #expect(try await Mesh.request("PUT", "\(url)/v1/streets/shuiguohu/members", token: officer, json: body).status == 200)
        }
        let change = #"{"agency_code":"shuiguohu/city_management","subject":"sgh-city","display_name":"水果湖城管中队队长","since":"2026-11-01"}"#
        let members = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try await Mesh.request("PUT", "\(url)/v1/streets/shuiguohu/members", token: officer, json: change).body)) as? [[String: Any]])
        let city = members.filter { $0["agency_code"] as? String == "shuiguohu/city_management" }
        #expect(city.count == 2)
        #expect(city.first { $0["subject"] as? String == "sgh-city-old" }?["until"] as? String == "2026-10-31")
        #expect(try await Mesh.request("PUT", "\(url)/v1/streets/shuiguohu/members", token: head, json: change).status == 403, "heads do not appoint")
        let listedMembers = try #require(
            try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/members", token: head).body))
                as? [[String: Any]])
        #expect(listedMembers.count == 6, "five heads and the city squad's former head: \(listedMembers)")
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/members", token: elsewhere).status == 404)
        // the committee as the console shows it: five named seats, each with today's head
        let committee = try Mesh.json(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/committee", token: head))
        #expect(committee["street_name"] as? String == "水果湖街道")
        #expect(committee["quorum"] as? Int == 4)
        let seats = committee["agencies"] as? [[String: Any]] ?? []
        #expect(seats.count == 5 && seats.allSatisfy { $0["head"] is [String: Any] })
        let citySeat = seats.first { $0["agency_code"] as? String == "shuiguohu/city_management" }
        #expect(citySeat?["name"] as? String == "水果湖城管中队")
        let cityHead = (citySeat?["head"] as? [String: Any])?["subject"] as? String
        #expect(cityHead == ("\(TestClock.today)" >= "2026-11-01" ? "sgh-city" : "sgh-city-old"))
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/committee", token: elsewhere).status == 404)
        #expect(
            try await Mesh.request(
                "PUT", "\(url)/v1/streets/shuiguohu/members", token: officer, json: change.replacingOccurrences(of: "city_management", with: "navy")
            ).status == 422)

        // every Thursday 09:30 Shanghai time, starting next Thursday
        let calendar = WorkingCalendar()
        let today = TestClock.today
        let thursday = (1...7).map { today.adding(days: $0) }.first { $0.weekday == 4 }!
        let first = calendar.startOfDay(thursday).addingTimeInterval(9.5 * 3600)
        let series =
            #"{"id":"\#(UUID().uuidString)","title":"水果湖街道五长碰头会","rrule":"FREQ=WEEKLY;BYDAY=TH","first_start":"\#(RFC3339.format(first))","duration_minutes":90,"location":"街道办三楼会议室, 东亭路"}"#
        #expect(try await Mesh.request("POST", "\(url)/v1/streets/nanhu/series", token: officer, json: series).status == 404)
        #expect(
            try await Mesh.request(
                "POST", "\(url)/v1/streets/shuiguohu/series", token: officer, json: series.replacingOccurrences(of: "BYDAY=TH", with: "BYDAY=XX")
            ).status == 422)
        let created = try await Mesh.request("POST", "\(url)/v1/streets/shuiguohu/series", token: officer, json: series)
        #expect(created.status == 201, "\(created.text)")
        let meetings = try #require(try JSONSerialization.jsonObject(with: Data(created.body)) as? [[String: Any]])
        #expect(meetings.count == 8, "eight weeks ahead")

        // move the second, cancel the third
        let second = meetings[1]["id"] as! String
        let third = meetings[2]["id"] as! String
        let moved = first.addingTimeInterval(8 * 86400)  // the Friday after next
        #expect(
            try await Mesh.request(
                "POST", "\(url)/v1/meetings/\(second)/changes", token: officer,
                json: #"{"action":"move","starts_at":"\#(RFC3339.format(moved))","reason":"区里开会"}"#
            ).status == 200)
        #expect(
            try await Mesh.request("POST", "\(url)/v1/meetings/\(third)/changes", token: officer, json: #"{"action":"cancel","reason":"节假日"}"#).status == 200)
        #expect(
            try await Mesh.request("POST", "\(url)/v1/meetings/\(third)/changes", token: officer, json: #"{"action":"cancel","reason":"again"}"#).status == 409)
        #expect(
            try await Mesh.request("POST", "\(url)/v1/meetings/\(second)/changes", token: officer, json: #"{"action":"move","reason":"no time"}"#).status == 422
        )

        // the street feed, with the bearer token in its header (calendar apps use feed capabilities: CalendarFeedTests)
        let feed = try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/calendar.ics", token: head)
        #expect(feed.status == 200)
        #expect(feed.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(feed.text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        let parsed = events(feed.text)
        #expect(parsed.count == 8)
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/meetings", token: head).body))
                as? [[String: Any]])
        for meeting in listed {
            let id = (meeting["id"] as! String).lowercased()
            let event = try #require(parsed.first { $0["UID"] == "\(id)@gridmesh" })
            #expect(event["SUMMARY"] == meeting["title"] as? String)
            #expect(event["LOCATION"] == "街道办三楼会议室, 东亭路")
            #expect(event["DTSTART"] == ICS.stamp(RFC3339.parse(meeting["starts_at"] as! String)!))
            #expect(event["STATUS"] == (meeting["state"] as? String == "cancelled" ? "CANCELLED" : "CONFIRMED"))
            #expect(event["SEQUENCE"] == String(meeting["sequence"] as! Int))
        }
        #expect(parsed.first { $0["UID"] == "\(second.lowercased())@gridmesh" }?["DTSTART"] == ICS.stamp(moved))

        // the member's own feed: the new city head has the street's meetings, the old one none
        let mine = events(try await Mesh.request("GET", "\(url)/v1/members/me/calendar.ics", token: head).text)
        #expect(mine.count == 8)
        let old = try await TestKeys.token("sgh-city-old", .agencyHead, "street:shuiguohu")
        #expect(events(try await Mesh.request("GET", "\(url)/v1/members/me/calendar.ics", token: old).text).isEmpty)
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/calendar.ics", token: elsewhere).status == 404)
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/calendar.ics", token: "forged").status == 401)
        // no bearer token in a URL: ?token= is not read
        #expect(try await Mesh.request("GET", "\(url)/v1/streets/shuiguohu/calendar.ics?token=\(head)").status == 401)

        let pool = database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*) FROM mesh.events WHERE topic = 'meeting.scheduled'").first!.decode(Int.self, at: 0) == 8)
        _ = try await meetingd.terminate()
    }
}

/// The test's own rendering of an iCalendar UTC time, to compare with the feed's.
enum ICS {
    static func stamp(_ date: Date) -> String {
        RFC3339.format(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".000", with: "")
    }
}

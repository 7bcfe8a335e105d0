import Foundation
import GridCore
import Testing

@Suite("patrold: the closed loop")
struct ClosedLoopTests {
    @Test func aFindingGoesRoundTheWholeLoop() async throws {
        let f = try await PatrolFixture()
        let submitted = try await f.submit(f.zhangmin)
        let id = (submitted["id"] as! String).lowercased()
        #expect(submitted["state"] as? String == "submitted")
        #expect(submitted["priority"] as? String == "normal")

        try await f.step(f.officer, id, #"{"action":"triage"}"#)
        let dispatched = try await f.step(f.officer, id, #"{"action":"dispatch"}"#)
        #expect(dispatched["agency_code"] as? String == "shuiguohu/city_management")
        #expect(dispatched["deadline_at"] != nil)

        // the city management squad sees it; the police station does not
        #expect(try await f.listIDs(f.cityHead) == [id])
        #expect(try await f.listIDs(f.policeHead).isEmpty)
        #expect(try await f.get(f.policeHead, "/v1/findings/\(id)").status == 404)
        #expect(try await f.act(f.policeHead, id, #"{"action":"start"}"#).status == 404)

        try await f.step(f.cityHead, id, #"{"action":"start"}"#)
        try await f.step(f.cityHead, id, #"{"action":"resolve","reason":"已清运，加装垃圾桶"}"#)

        // verification happens on a later patrol of the grid
        let early = try await f.act(f.zhangmin, id, #"{"action":"verify"}"#)
        #expect(early.status == 422)
        let patrol = UUID()
        let started = try await Mesh.request("POST", "\(f.url)/v1/patrols", token: f.zhangmin, json: #"{"id":"\#(patrol.uuidString)"}"#)
        #expect(started.status == 201)
        try await f.step(f.zhangmin, id, #"{"action":"verify","patrol_id":"\#(patrol.uuidString)"}"#)
        let closed = try await f.step(f.officer, id, #"{"action":"close"}"#)
        #expect(closed["state"] as? String == "closed")

        // only the reporter rates, once
        let rateURL = "\(f.url)/v1/findings/\(id)/rating"
        #expect(try await Mesh.request("POST", rateURL, token: f.chenjie, json: #"{"rating":1}"#).status == 404)
        #expect(try await Mesh.request("POST", rateURL, token: f.zhangmin, json: #"{"rating":6}"#).status == 422)
        #expect(try await Mesh.request("POST", rateURL, token: f.zhangmin, json: #"{"rating":5,"comment":"很快"}"#).status == 200)
        #expect(try await Mesh.request("POST", rateURL, token: f.zhangmin, json: #"{"rating":4}"#).status == 409)

        let detail = try Mesh.json(try await f.get(f.officer, "/v1/findings/\(id)"))
        let history = (detail["history"] as? [[String: Any]]) ?? []
        #expect(history.compactMap { $0["action"] as? String } == ["submit", "triage", "dispatch", "start", "resolve", "verify", "close", "rate"])
        #expect(
            history.compactMap { $0["actor"] as? String } == [
                "zhangmin", "sgh-officer", "sgh-officer", "sgh-city", "sgh-city", "zhangmin", "sgh-officer", "zhangmin",
            ])
        #expect(history[4]["reason"] as? String == "已清运，加装垃圾桶")

        // the reporter's feed shows the change
        let feed = try Mesh.json(try await f.get(f.zhangmin, "/v1/following"))
        let first = try #require((feed["items"] as? [[String: Any]])?.first)
        #expect(first["state"] as? String == "closed")
        #expect(first["rating"] as? Int == 5)

        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let topics = try await pool.query("SELECT topic FROM mesh.events ORDER BY id").map { try $0.decode(String.self, at: 0) }
        #expect(topics == ["finding.submitted", "finding.dispatched", "finding.resolved", "finding.closed"])
        let payloads = try await pool.query("SELECT payload::text FROM mesh.events").map { try $0.decode(String.self, at: 0) }
        #expect(!payloads.contains { $0.contains("zhangmin") || $0.contains("垃圾") }, "events carry ids and places only")
    }

    @Test func illegalStepsAreRefusedAndChangeNothing() async throws {
        let f = try await PatrolFixture()
        let id = try await f.newFinding(f.zhangmin)
        let illegal = try await f.act(f.officer, id, #"{"action":"close"}"#)
        #expect(illegal.status == 409)
        #expect(try Mesh.json(illegal)["type"] as? String == "https://gridmesh.example/problems/illegal-transition")
        #expect(try await f.act(f.zhangmin, id, #"{"action":"dispatch"}"#).status == 403)
        #expect(try await f.act(f.officer, id, #"{"action":"reject"}"#).status == 422)
        #expect(try await f.act(f.officer, id, #"{"action":"fly"}"#).status == 400)
        #expect(try await f.act(f.officer, id, #"{"action":"dispatch","agency_code":"atlantis/police"}"#).status == 422)
        #expect(try await f.act(f.officer, id, #"{"action":"dispatch","deadline_working_days":99}"#).status == 422)
        #expect(try await f.act(f.officer, UUID().uuidString, #"{"action":"triage"}"#).status == 404)
        let detail = try Mesh.json(try await f.get(f.officer, "/v1/findings/\(id)"))
        #expect((detail["finding"] as? [String: Any])?["state"] as? String == "submitted")
        #expect((detail["history"] as? [Any])?.count == 1)

        try await f.step(f.officer, id, #"{"action":"reject","reason":"重复上报"}"#)
        #expect(try await f.act(f.officer, id, #"{"action":"dispatch"}"#).status == 409)
    }

    @Test func scopeHoldsForGridWorkersStreetsAndAgencies() async throws {
        let f = try await PatrolFixture()
        let mine = try await f.newFinding(f.zhangmin)
        let theirs = try await f.newFinding(f.lihua)
        #expect(try await f.listIDs(f.zhangmin) == [mine])
        #expect(try await f.get(f.zhangmin, "/v1/findings/\(theirs)").status == 404)
        #expect(try await f.get(f.lihua, "/v1/findings/\(theirs)").status == 200)
        #expect(Set(try await f.listIDs(f.officer)) == [mine, theirs])
        #expect(Set(try await f.listIDs(f.command, "?grid=dongting-05")) == [theirs])
        let nanhu = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect(try await f.listIDs(nanhu).isEmpty)
        // a grid worker cannot report in another grid: a location in grid B is refused for grid A's worker
        let (lat, lon) = try await f.centre(of: "dongting-05")
        try await f.submit(f.zhangmin, extra: #","latitude":\#(lat),"longitude":\#(lon)"#, expect: 422)
        #expect(try await f.listIDs(f.command).count == 2)
    }

    @Test func concurrentRetriesOfOneSubmissionStoreOneFinding() async throws {
        let f = try await PatrolFixture()
        let id = UUID()
        let body = #"{"id":"\#(id.uuidString)","category":"street_vending","description":"占道","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: body).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 200 }.count == 11)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*) FROM patrol.findings").first!.decode(Int.self, at: 0) == 1)
        #expect(try await pool.query("SELECT count(*) FROM mesh.events").first!.decode(Int.self, at: 0) == 1)
    }

    @Test func phoneCoordinatesAreStoredAsWGS84AndNearTheEdgeAreFlagged() async throws {
        let f = try await PatrolFixture()
        let (lat, lon) = try await f.centre(of: "dongting-03")
        let gcj = Coordinates.wgsToGCJ(Coordinates(latitude: lat, longitude: lon))
        let stored = try await f.submit(f.zhangmin, extra: #","latitude":\#(gcj.latitude),"longitude":\#(gcj.longitude),"coord_system":"gcj02""#)
        #expect(abs((stored["latitude"] as! Double) - lat) < 1e-6)
        #expect(abs((stored["longitude"] as! Double) - lon) < 1e-6)
        #expect(stored["location_flag"] == nil)
        let bd = Coordinates.gcjToBD(gcj)
        let fromBaidu = try await f.submit(f.zhangmin, extra: #","latitude":\#(bd.latitude),"longitude":\#(bd.longitude),"coord_system":"bd09""#)
        #expect(abs((fromBaidu["latitude"] as! Double) - lat) < 1e-5)

        // just outside the grid's north edge (about 50 m): kept, flagged
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let north = try await pool.query("SELECT ST_YMax(boundary) FROM geo.grids WHERE code = 'dongting-03'").first!.decode(Double.self, at: 0)
        let flagged = try await f.submit(f.zhangmin, extra: #","latitude":\#(north + 0.00045),"longitude":\#(lon)"#)
        #expect(flagged["location_flag"] as? String == "outside_grid")
        try await f.submit(f.zhangmin, extra: #","latitude":91,"longitude":\#(lon)"#, expect: 422)
        try await f.submit(f.zhangmin, extra: #","latitude":\#(lat)"#, expect: 422)
    }

    @Test func dispatchDeadlinesCountWorkingDaysAcrossAHoliday() async throws {
        let f = try await PatrolFixture()
        let seeded = try TestClock.calendar(f.database)
        let today = TestClock.today
        // the next two working days (as the district's calendar has them) become holidays, and the
        // first non-working day after them a make-up working day: two days lost, one won, so the
        // deadline moves later on every day of the year
        let lost = [seeded.adding(workingDays: 1, to: today), seeded.adding(workingDays: 2, to: today)]
        let won = (1...30).map { lost[1].adding(days: $0) }.first { !seeded.isWorkingDay($0) }!
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        for (day, kind) in lost.map({ ($0, "holiday") }) + [(won, "workday")] {
            try await pool.query(
                "INSERT INTO geo.calendar_days (day, kind, name_zh) VALUES ($1, $2, '测试') ON CONFLICT (day) DO UPDATE SET kind = $2", [day, kind])
        }
        let changed = try TestClock.calendar(f.database)
        #expect(changed.holidays.isSuperset(of: lost) && changed.workdays.contains(won))

        let id = try await f.newFinding(f.zhangmin)
        let dispatched = try await f.step(f.officer, id, #"{"action":"dispatch"}"#)
        let deadline = try #require(RFC3339Date.parse(dispatched["deadline_at"] as? String))
        let dispatchedAt = try #require(RFC3339Date.parse(dispatched["dispatched_at"] as? String))
        #expect(abs(deadline.timeIntervalSince(changed.deadline(workingDays: 3, from: dispatchedAt))) < 0.01)
        #expect(changed.day(of: deadline) > seeded.adding(workingDays: 3, to: changed.day(of: dispatchedAt)), "the holidays moved the deadline")
    }

    @Test func anOverdueFindingIsEscalatedOnceAndMarkedAgainstItsAgency() async throws {
        let f = try await PatrolFixture(extra: ["GRIDMESH_SUPERVISION_MS": "100"])
        let id = try await f.newFinding(f.zhangmin)
        try await f.step(f.officer, id, #"{"action":"dispatch"}"#)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE patrol.findings SET deadline_at = $1", [TestClock.now().addingTimeInterval(-60)])
        #expect(
            try await TestSupport.eventually {
                (try Mesh.json(try await f.get(f.officer, "/v1/findings/\(id)"))["finding"] as? [String: Any])?["overdue"] as? Bool == true
            })
        try await Task.sleep(for: .milliseconds(400))
        #expect(
            try await pool.query("SELECT count(*) FROM patrol.assessment_marks WHERE agency_code = 'shuiguohu/city_management'").first!.decode(Int.self, at: 0)
                == 1)
        #expect(try await pool.query("SELECT count(*) FROM mesh.events WHERE topic = 'finding.overdue'").first!.decode(Int.self, at: 0) == 1)
        #expect(try await f.listIDs(f.officer, "?overdue=true") == [id])
        #expect(try await f.listIDs(f.officer, "?overdue=false").isEmpty)
        // resolving late still works; the mark stays
        try await f.step(f.cityHead, id, #"{"action":"resolve","reason":"已处理"}"#)
        #expect(try await f.listIDs(f.officer, "?overdue=true").isEmpty)
    }

    @Test func aDuplicateIsMergedAndItsFollowersFollowTheOriginal() async throws {
        let f = try await PatrolFixture()
        let original = try await f.newFinding(f.zhangmin)
        let duplicate = try await f.newFinding(f.chenjie)
        #expect(try await f.act(f.officer, duplicate, #"{"action":"merge","merge_into":"\#(duplicate)"}"#).status == 422)
        let merged = try await f.step(f.officer, duplicate, #"{"action":"merge","merge_into":"\#(original)"}"#)
        #expect((merged["merged_into"] as? String)?.lowercased() == original)
        let feed = try Mesh.json(try await f.get(f.chenjie, "/v1/following"))
        let ids = ((feed["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
        #expect(Set(ids) == [original, duplicate])
        #expect(try await f.act(f.officer, duplicate, #"{"action":"triage"}"#).status == 409)
    }

    @Test func aFindingIsFollowedAndUnfollowedAndTheFeedShowsOnlyWhatIsFollowed() async throws {
        let f = try await PatrolFixture()
        defer { f.database.drop() }
        let id = try await f.newFinding(f.zhangmin)
        func feed(_ token: String) async throws -> [String] {
            ((try Mesh.json(try await f.get(token, "/v1/following"))["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
        }
        let me = "\(f.url)/v1/findings/\(id)/followers/me"
        #expect(try await feed(f.officer).isEmpty)
        #expect((200...204).contains(try await Mesh.request("PUT", me, token: f.officer).status))
        #expect((200...204).contains(try await Mesh.request("PUT", me, token: f.officer).status), "following twice is following")
        #expect(try await feed(f.officer) == [id])
        #expect((200...204).contains(try await Mesh.request("DELETE", me, token: f.officer).status))
        #expect(try await feed(f.officer).isEmpty, "unfollowed")
        #expect((200...204).contains(try await Mesh.request("DELETE", me, token: f.officer).status), "unfollowing twice is unfollowed")
        #expect(try await Mesh.request("PUT", me, token: f.lihua).status == 404, "another grid's worker cannot follow it")
        #expect(try await Mesh.request("DELETE", "\(f.url)/v1/findings/\(UUID().uuidString)/followers/me", token: f.officer).status == 404)
        #expect(try await feed(f.zhangmin) == [id], "the reporter's feed has it without following")
    }

    @Test func filtersAndPagesOfTheLedger() async throws {
        let f = try await PatrolFixture()
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(try await f.newFinding(f.zhangmin, category: index % 2 == 0 ? "road_damage" : "street_vending"))
        }
        #expect(Set(try await f.listIDs(f.officer, "?category=road_damage")) == Set([ids[0], ids[2], ids[4]]))
        #expect(try await f.listIDs(f.officer, "?state=closed").isEmpty)
        #expect(try await f.get(f.officer, "/v1/findings?state=lost").status == 400)
        #expect(try await f.get(f.officer, "/v1/findings?limit=500").status == 400)
        #expect(try await f.get(f.officer, "/v1/findings?cursor=nonsense").status == 400)
        let first = try Mesh.json(try await f.get(f.officer, "/v1/findings?limit=2"))
        let cursor = try #require(first["next_cursor"] as? String)
        let second = try Mesh.json(try await f.get(f.officer, "/v1/findings?limit=2&cursor=\(cursor)"))
        let page1 = ((first["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
        let page2 = ((second["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
        #expect(page1 == Array(ids.reversed()[0..<2]))
        #expect(page2 == Array(ids.reversed()[2..<4]))
    }

    @Test func theCatalogueSpeaksBothLanguages() async throws {
        let f = try await PatrolFixture()
        let zh = try await Mesh.request("GET", "\(f.url)/v1/categories", token: f.zhangmin)
        #expect(zh.text.contains("环境卫生"))
        let en = try await Mesh.request("GET", "\(f.url)/v1/categories", token: f.zhangmin, headers: [("Accept-Language", "en-GB,en;q=0.9")])
        #expect(en.text.contains("Environmental sanitation"))
        #expect(!en.text.contains("环境卫生"))
    }
}

enum RFC3339Date {
    static func parse(_ text: String?) -> Date? { text.flatMap(RFC3339.parse) }
}

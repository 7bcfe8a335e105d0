import Foundation
import GridCore
import HTTPClient
import Testing

@Suite("patrold: Open311 GeoReport v2")
struct Open311Tests {
    func array(_ response: HTTPResponse) throws -> [[String: Any]] { try Mesh.jsonArray(response) }

    @Test func servicesAndDefinitionsWithoutClues() async throws {
        let f = try await PatrolFixture()
        // service discovery needs no key (GeoReport v2); requests still do
        let services = try array(try await Mesh.request("GET", "\(f.url)/open311/v2/services.json"))
        let codes = Set(services.compactMap { $0["service_code"] as? String })
        #expect(codes.contains("environmental_sanitation"))
        #expect(!codes.contains("gambling_den") && !codes.contains("organised_crime"))
        #expect(services.first { $0["service_code"] as? String == "environmental_sanitation" }?["metadata"] as? Bool == true)
        #expect(services.allSatisfy { $0["type"] as? String == "realtime" })

        let definition = try Mesh.json(try await Mesh.request("GET", "\(f.url)/open311/v2/services/environmental_sanitation.json"))
        #expect(try await Mesh.request("GET", "\(f.url)/open311/v2/requests.json").status == 401)
        let elsewhere = try await Mesh.request("GET", "\(f.url)/open311/v2/services.json?jurisdiction_id=atlantis")
        let elsewhereCode = try array(elsewhere).first?["code"] as? Int
        #expect(elsewhere.status == 404 && elsewhereCode == 404)
        let attribute = try #require((definition["attributes"] as? [[String: Any]])?.first)
        #expect(attribute["code"] as? String == "volume")
        #expect(attribute["variable"] as? Bool == true)
        #expect(attribute["order"] as? Int == 1)
        let missing = try await f.get(f.zhangmin, "/open311/v2/services/gambling_den.json")
        #expect(missing.status == 404)
        #expect(try array(missing).first?["code"] as? Int == 404)
    }

    @Test func aGridWorkerPostsFormEncodedAndRetriesSafely() async throws {
        let f = try await PatrolFixture()
        let (lat, lon) = try await f.centre(of: "dongting-03")
        let key = UUID().uuidString
        let form =
            "service_code=environmental_sanitation&lat=\(lat)&long=\(lon)&address_string=%E4%B8%9C%E4%BA%AD%E8%B7%AF+3%E5%8F%B7&description=%E5%9E%83%E5%9C%BE%E5%A0%86%E6%94%BE&attribute%5Bvolume%5D=large&jurisdiction_id=wuchang"
        let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Idempotency-Key", key)]
        // the district's patrol app holds an Open311 key an administrator issued, bound to 张敏's account
        let apiKey = try await Self.issueKey(f, subject: "zhangmin", client: "巡查App")
        let created = try await Mesh.request("POST", "\(f.url)/open311/v2/requests.json?api_key=\(apiKey)", headers: headers, bodyText: form)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try array(created).first?["service_request_id"] as? String)
        #expect(id == key.lowercased())
        let again = try await Mesh.request("POST", "\(f.url)/open311/v2/requests.json?api_key=\(apiKey)", headers: headers, bodyText: form)
        #expect(again.status == 200)

        let fetched = try array(try await f.get(f.officer, "/open311/v2/requests/\(id).json")).first
        #expect(fetched?["status"] as? String == "open")
        #expect(fetched?["address"] as? String == "东亭路 3号")
        #expect(fetched?["description"] as? String == "垃圾堆放")
        #expect(abs((fetched?["lat"] as? Double ?? 0) - lat) < 1e-9)
        #expect(fetched?.keys.contains("media_url") == true, "every field is present")

        let bad = try await Mesh.request(
            "POST", "\(f.url)/open311/v2/requests.json?api_key=\(apiKey)", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            bodyText: "service_code=gambling_den&description=x")
        #expect(bad.status == 400)
        #expect(try array(bad).first?["code"] as? Int == 400)
        let unknownAttribute = try await Mesh.request(
            "POST", "\(f.url)/open311/v2/requests.json?api_key=\(apiKey)", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            bodyText: "service_code=environmental_sanitation&description=x&attribute%5Bsmell%5D=bad")
        #expect(unknownAttribute.status == 422)
        let noKey = try await Mesh.request("GET", "\(f.url)/open311/v2/requests.json")
        #expect(noKey.status == 401)
        #expect(try array(noKey).first?["code"] as? Int == 401)
        let elsewhere = try await f.get(f.zhangmin, "/open311/v2/requests.json?jurisdiction_id=hankou")
        #expect(elsewhere.status == 404)
    }

    /// An Open311 key from an administrator at patrold's `POST /v1/open311-keys`.
    static func issueKey(_ f: PatrolFixture, subject: String, client: String) async throws -> String {
        let admin = try await TestKeys.token("admin", .admin, "district")
        let issued = try await Mesh.request("POST", "\(f.url)/v1/open311-keys", token: admin, json: #"{"subject":"\#(subject)","client":"\#(client)"}"#)
        guard issued.status == 201, let key = try Mesh.json(issued)["api_key"] as? String else { throw Failure("issuing a key: \(issued.text)") }
        return key
    }

    @Test func keysAreBoundToOneAccountGoodOnOpen311OnlyAndRevocable() async throws {
        let f = try await PatrolFixture()
        let admin = try await TestKeys.token("admin", .admin, "district")
        let key = try await Self.issueKey(f, subject: "sgh-officer", client: "区12345热线")
        #expect(key.hasPrefix("gm311_"))
        let read = try await Mesh.request("GET", "\(f.url)/open311/v2/requests.json?api_key=\(key)")
        #expect(read.status == 200, "\(read.text)")
        // a key is not a bearer token, and a bearer token is not taken from the URL
        #expect(try await Mesh.request("GET", "\(f.url)/v1/findings", token: key).status == 401)
        let tokenInURL = try await Mesh.request("GET", "\(f.url)/open311/v2/requests.json?api_key=\(f.officer)")
        let tokenInURLCode = try array(tokenInURL).first?["code"] as? Int
        #expect(tokenInURL.status == 401 && tokenInURLCode == 401)
        // the key acts with its account's role: an officer reads, but does not report
        let report = try await Mesh.request(
            "POST", "\(f.url)/open311/v2/requests.json?api_key=\(key)", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            bodyText: "service_code=environmental_sanitation&description=x")
        #expect(report.status == 403)

        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(f.url)/v1/open311-keys", token: admin).body)) as? [[String: Any]])
        #expect(listed.count == 1 && listed[0]["api_key"] == nil && listed[0]["last_used_at"] != nil && !listed.description.contains(key))
        #expect(try await Mesh.request("GET", "\(f.url)/v1/open311-keys", token: f.officer).status == 403)
        let refused = try await Mesh.request("POST", "\(f.url)/v1/open311-keys", token: admin, json: #"{"subject":"svc-meetingd","client":"x"}"#)
        #expect(refused.status == 422, "a key acts as a person")
        #expect(try await Mesh.request("POST", "\(f.url)/v1/open311-keys", token: admin, json: #"{"subject":"nobody","client":"x"}"#).status == 422)

        let id = try #require(listed[0]["id"] as? String)
        #expect(try await Mesh.request("DELETE", "\(f.url)/v1/open311-keys/\(id)", token: admin).status == 204)
        #expect(try await Mesh.request("GET", "\(f.url)/open311/v2/requests.json?api_key=\(key)").status == 401)
        #expect(try await Mesh.request("DELETE", "\(f.url)/v1/open311-keys/\(id)", token: admin).status == 404)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let actions = try await pool.query("SELECT action FROM mesh.audit_log WHERE chain = 'patrold' AND action LIKE 'open311_key.%' ORDER BY seq")
            .map { try $0.decode(String.self, at: 0) }
        #expect(actions == ["open311_key.issue", "open311_key.revoke"])
        #expect(!f.patrold.log.contains(key))
    }

    @Test func requestsAreScopedFilteredAndNeverShowClues() async throws {
        let f = try await PatrolFixture()
        let open = try await f.newFinding(f.zhangmin)
        let rejected = try await f.newFinding(f.zhangmin, category: "street_vending")
        try await f.step(f.officer, rejected, #"{"action":"reject","reason":"不属实"}"#)
        let clue = #"{"id":"\#(UUID().uuidString)","category":"gambling_den","description":"赌博窝点","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: clue).status == 202)

        let all = try array(try await f.get(f.command, "/open311/v2/requests.json"))
        #expect(Set(all.compactMap { $0["service_request_id"] as? String }) == [open, rejected])
        #expect(!(String(decoding: try await f.get(f.command, "/open311/v2/requests.json").body, as: UTF8.self)).contains("赌博"))
        let closed = try array(try await f.get(f.command, "/open311/v2/requests.json?status=closed"))
        #expect(closed.compactMap { $0["service_request_id"] as? String } == [rejected])
        let vending = try array(try await f.get(f.command, "/open311/v2/requests.json?service_code=street_vending"))
        #expect(vending.count == 1)
        let nanhu = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect(try array(try await f.get(nanhu, "/open311/v2/requests.json")).isEmpty)
        #expect(try await f.get(f.command, "/open311/v2/requests.json?status=lost").status == 400)
        #expect(try await f.get(f.command, "/open311/v2/requests.json?start_date=yesterday").status == 400)
    }
}

@Suite("patrold: assessment and CSV")
struct AssessmentTests {
    @Test func assessmentCountsTheLoopPerAgencyAndExportsCSVWithoutClues() async throws {
        let f = try await PatrolFixture()
        let fast = try await f.newFinding(f.zhangmin)
        let late = try await f.newFinding(f.zhangmin, category: "street_vending")
        try await f.submit(f.lihua, category: "food_safety")
        let clue = #"{"id":"\#(UUID().uuidString)","category":"gambling_den","description":"赌博窝点线索","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: clue).status == 202)
        for id in [fast, late] { try await f.step(f.officer, id, #"{"action":"dispatch"}"#) }
        try await f.step(f.cityHead, fast, #"{"action":"resolve","reason":"已清理"}"#)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        try await pool.query("UPDATE patrol.findings SET deadline_at = $2 WHERE id = $1", [UUID(uuidString: late)!, TestClock.now().addingTimeInterval(-3600)])
        try await f.step(f.cityHead, late, #"{"action":"resolve","reason":"迟了"}"#)

        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(try await f.get(f.command, "/v1/assessment?group_by=agency").body)) as? [[String: Any]])
        let city = try #require(rows.first { $0["code"] as? String == "shuiguohu/city_management" })
        #expect(city["dispatched"] as? Int == 2)
        #expect(city["resolved"] as? Int == 2)
        #expect(city["on_time"] as? Int == 1)
        #expect(city["on_time_rate"] as? Double == 0.5)
        #expect(city["name"] as? String == "水果湖城管中队")
        let streets = try #require(
            try JSONSerialization.jsonObject(with: Data(try await f.get(f.officer, "/v1/assessment?group_by=street").body)) as? [[String: Any]])
        #expect(streets.count == 1)
        #expect(streets.first?["findings"] as? Int == 3, "the clue is not counted")
        #expect(try await f.get(f.zhangmin, "/v1/assessment").status == 403)
        #expect(try await f.get(f.command, "/v1/assessment?group_by=planet").status == 400)

        let csv = try await f.get(f.command, "/v1/assessment?group_by=street&format=csv")
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF], "a byte-order mark for Excel")
        #expect(csv.text.contains("上报数"))
        let ledger = try await f.get(f.officer, "/v1/findings?format=csv")
        #expect(ledger.text.contains("转角垃圾堆放"))
        #expect(!ledger.text.contains("赌博"), "no clue in the export")
        #expect(ledger.text.split(separator: "\r\n").count == 4)
        // as the staff read it: names, not codes (which follow in their own columns), and Beijing time
        let row = ledger.text.split(separator: "\r\n").first { $0.contains("转角垃圾堆放") }.map(String.init) ?? ""
        #expect(row.contains(",食品安全,") && row.contains(",东亭社区,水果湖街道,") && row.contains(",food_safety,dongting-05,"), "\(row)")
        #expect(row.range(of: #"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"#, options: .regularExpression) != nil && !row.contains("Z,"), "\(row)")
    }
}

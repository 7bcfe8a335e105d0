import Foundation
import GridCore
import Testing

@Suite("reentryd: bad input is a 4xx problem and changes nothing")
struct ReentryInputTests {
    @Test func everyBadRequestIsAProblemAndNoneChangesAnything() async throws {
        let f = try await ReentryFixture()
        let (caseID, _) = try await f.openCase()
        let today = ReentryFixture.today
        func problem(_ method: String, _ path: String, _ token: String, _ body: String?, _ status: Int, _ field: String? = nil) async throws {
            let response = try await Mesh.request(method, "\(f.url)\(path)", token: token, json: body)
            #expect(response.status == status, "\(method) \(path) \(body ?? "") -> \(response.status) \(response.text)")
            #expect(response.headers.first { $0.name.lowercased() == "content-type" }?.value == "application/problem+json", "\(path)")
            if let field {
                let errors = (try Mesh.json(response)["errors"] as? [[String: Any]]) ?? []
                #expect(errors.contains { ($0["field"] as? String)?.hasPrefix(field) == true }, "\(field) not named: \(response.text)")
            }
            #expect(!response.text.contains(ReentryFixture.wangQiang.id), "a problem never echoes an ID number")
        }
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(nationalID: "420106198001011230"), 422, "person.national_id")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(name: ""), 422, "person.name")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(kind: "parole"), 400)
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(level: "severe"), 400)
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(grid: "nowhere-01"), 422, "residence_grid")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(pair: ("caseworker-liu", "caseworker-liu")), 422, "police_officer")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(pair: ("caseworker-gao", "officer-zhao")), 422, "community_worker")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(startsOn: today, endsOn: today.adding(days: -1)), 422, "ends_on")
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(nationalID: ReentryFixture.wangQiang.id), 409)
        try await problem("POST", "/v1/cases", f.liu, ReentryFixture.caseBody(nationalID: "420106198512124567"), 403)
        try await problem("POST", "/v1/cases", f.supervisor, #"{"id":"x"}"#, 400)
        try await problem("POST", "/v1/cases", f.supervisor, "not json", 400)
        try await problem("POST", "/v1/cases", f.supervisor, ReentryFixture.caseBody(grid: "jiyuqiao-01").replacingOccurrences(of: "dongting", with: "x"), 403)

        let contact = { (method: String, location: String, outcome: String, at: Date) in
            #"{"id":"\#(UUID().uuidString)","contact_type":"face_to_face","method":"\#(method)","location":"\#(location)","outcome":"\#(outcome)","occurred_at":"\#(RFC3339.format(at))"}"#
        }
        try await problem("POST", "/v1/cases/\(caseID)/contacts", f.liu, contact("carrier_pigeon", "residence", "completed", TestClock.now()), 422, "method")
        try await problem("POST", "/v1/cases/\(caseID)/contacts", f.liu, contact("in_person", "moon", "completed", TestClock.now()), 422, "location")
        try await problem("POST", "/v1/cases/\(caseID)/contacts", f.liu, contact("in_person", "office", "great", TestClock.now()), 422, "outcome")
        try await problem(
            "POST", "/v1/cases/\(caseID)/contacts", f.liu, contact("in_person", "office", "completed", TestClock.now().addingTimeInterval(86400)), 422,
            "occurred_at")
        try await problem(
            "POST", "/v1/cases/\(caseID)/contacts", f.liu, contact("in_person", "office", "completed", TestClock.now().addingTimeInterval(-86400 * 60)), 422,
            "occurred_at")
        try await problem("POST", "/v1/cases/not-a-uuid/contacts", f.liu, contact("in_person", "office", "completed", TestClock.now()), 400, "id")
        try await problem("POST", "/v1/cases/\(UUID().uuidString)/contacts", f.liu, contact("in_person", "office", "completed", TestClock.now()), 404)

        try await problem(
            "POST", "/v1/cases/\(caseID)/reassessments", f.supervisor, #"{"level":"standard","effective_on":"\#(today.adding(days: -1))","reason":"好转"}"#, 422,
            "effective_on")
        try await problem(
            "POST", "/v1/cases/\(caseID)/reassessments", f.supervisor, #"{"level":"standard","effective_on":"\#(today)","reason":""}"#, 422, "reason")
        try await problem("POST", "/v1/cases/\(caseID)/reassessments", f.liu, #"{"level":"standard","effective_on":"\#(today)","reason":"好转"}"#, 403)
        try await problem(
            "POST", "/v1/cases/\(caseID)/deferrals", f.liu,
            #"{"id":"\#(UUID().uuidString)","from_on":"\#(today)","until_on":"\#(today.adding(days: 200))","reason":"住院"}"#, 422,
            "until_on")
        try await problem("PUT", "/v1/cases/\(caseID)/support-items/\(UUID().uuidString)", f.liu, #"{"area":"pension"}"#, 422, "area")
        try await problem("PUT", "/v1/cases/\(caseID)/support-items/\(UUID().uuidString)", f.liu, #"{"status":"done"}"#, 422, "area")
        try await problem("GET", "/v1/cases/\(caseID)/review?from=yesterday", f.supervisor, nil, 400, "from")
        try await problem("GET", "/v1/cases/\(caseID)/review?from=2026-12-01&to=2026-01-01", f.supervisor, nil, 422, "to")
        try await problem("GET", "/v1/cases?limit=0", f.liu, nil, 400, "limit")
        try await problem("GET", "/v1/cases?state=lost", f.liu, nil, 400, "state")
        try await problem(
            "POST", "/v1/contact-standards", f.supervisor,
            #"{"kind":"post_release","level":"strict","contact_type":"phone","effective_from":"\#(today.adding(days: 400))","required_count":1}"#, 403)
        let admin = try await TestKeys.token("admin", .admin, "district")
        try await problem(
            "POST", "/v1/contact-standards", admin,
            #"{"kind":"post_release","level":"strict","contact_type":"phone","effective_from":"\#(today.adding(days: 400))","required_count":1}"#, 422,
            "required_count")
        try await problem(
            "POST", "/v1/contact-standards", admin,
            #"{"kind":"post_release","level":"strict","contact_type":"phone","effective_from":"\#(today)","required_count":1,"period_length":7,"period_unit":"days"}"#,
            422,
            "effective_from")

        // the good requests still work, and nothing the bad ones tried is there
        let added = try await Mesh.request(
            "POST", "\(f.url)/v1/contact-standards", token: admin,
            json:
                #"{"kind":"post_release","level":"strict","contact_type":"phone","effective_from":"\#(today.adding(days: 400))","required_count":1,"period_length":7,"period_unit":"days"}"#
        )
        #expect(added.status == 201)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let counts = try await pool.query(
            """
            SELECT (SELECT count(*) FROM reentry.cases)::int, (SELECT count(*) FROM reentry.contacts)::int, (SELECT count(*) FROM reentry.levels)::int,
                   (SELECT count(*) FROM reentry.deferrals)::int, (SELECT count(*) FROM reentry.support_items)::int,
                   (SELECT count(*) FROM reentry.contact_standards WHERE created_by = 'admin')::int
            """
        ).first!
        #expect(try counts.decode(Int.self, at: 0) == 1 && counts.decode(Int.self, at: 1) == 0 && counts.decode(Int.self, at: 2) == 1)
        #expect(try counts.decode(Int.self, at: 3) == 0 && counts.decode(Int.self, at: 4) == 2 && counts.decode(Int.self, at: 5) == 1)
        // asking to open a second case for a person under supervision tells that they are: it is on that case's trail
        let probes = try await pool.query(
            "SELECT actor, target FROM mesh.audit_log WHERE chain = 'reentryd' AND action = 'case.open.refused'"
        ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
        let caseRef = try await pool.query("SELECT case_ref FROM reentry.cases").first!.decode(String.self, at: 0)
        #expect(probes == ["supervisor-sun case:\(caseRef)"], "\(probes)")
        _ = try await f.reentryd.terminate()
    }
}

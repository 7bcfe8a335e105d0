import Foundation
import GridCore
import Postgres
import Testing

@Suite("reentryd: overdue → escalation → patrold visit → contact, with nothing personal outside reentryd")
struct ReentryFlowTests {
    @Test func anOverdueFirstHomeVisitEscalatesToAPatrolVisitWhoseReportBecomesTheContact() async throws {
        let f = try await ReentryFixture(withPatrold: true)
        let patrold = try #require(f.patrold)
        // opened 20 days ago: the first home visit (due within 14 days) is past the 3-day grace, and
        // no whole monthly window has ended yet, on any day of the year (a case opened 29 days
        // before 1 March would owe February's visit too)
        let (caseID, caseRef) = try await f.openCase(ReentryFixture.caseBody(startsOn: ReentryFixture.today.adding(days: -20)))
        #expect(caseRef.range(of: "^RC-[0-9A-Z]{10}$", options: .regularExpression) != nil)

        let pairAlerts = try f.array(try await f.get("/v1/alerts", f.liu))
        #expect(pairAlerts.contains { $0["kind"] as? String == "contact_overdue" && $0["contact_type"] as? String == "home_visit" })
        #expect(try f.array(try await f.get("/v1/alerts", f.zhao)).contains { $0["kind"] as? String == "contact_overdue" })
        let supervisorAlerts = try f.array(try await f.get("/v1/alerts", f.supervisor))
        #expect(supervisorAlerts.contains { $0["kind"] as? String == "contact_escalated" && $0["case_ref"] as? String == caseRef })

        // patrold gets a visit request for grid 东亭-05 carrying the case ref only
        var visit: [String: Any] = [:]
        #expect(
            try await TestSupport.eventually {
                let open = try f.array(try await Mesh.request("GET", "\(patrold.baseURL)/v1/visit-requests", token: f.lihua))
                visit = open.first { $0["case_id"] as? String == caseRef } ?? [:]
                return !visit.isEmpty
            })
        #expect(visit["grid_code"] as? String == "dongting-05")
        let visitID = try #require(visit["id"] as? String)
        let report = #"{"visited_at":"\#(TestClock.rfc3339())","outcome":"met"}"#
        #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/visit-requests/\(visitID)/report", token: f.lihua, json: report).status == 200)

        // reentryd records the visit as a home-visit contact; the first-visit obligation is met (late)
        var contacts: [[String: Any]] = []
        #expect(
            try await TestSupport.eventually {
                contacts = try f.array(try await f.get("/v1/cases/\(caseID)/contacts", f.liu))
                return contacts.contains { ($0["visit_request_id"] as? String)?.lowercased() == visitID.lowercased() }
            })
        let recorded = try #require(contacts.first)
        #expect(recorded["recorded_by"] as? String == "lihua" && recorded["contact_type"] as? String == "home_visit")
        #expect((recorded["counts_as"] as? [String])?.contains("home_visit") == true)
        let obligations = try f.array(try await f.get("/v1/cases/\(caseID)/obligations", f.liu))
        let firstVisit = try #require(obligations.first { $0["rule"] as? String == "first" && $0["contact_type"] as? String == "home_visit" })
        #expect(firstVisit["state"] as? String == "late")
        let due = try f.array(try await f.get("/v1/due?community=dongting", f.liu))
        #expect(!due.contains { $0["contact_type"] as? String == "home_visit" && $0["state"] as? String == "overdue" })

        // the record itself, read by the pair: the person is there, and the read is audited
        let detail = try Mesh.json(try await f.get("/v1/cases/\(caseID)", f.liu))
        #expect((detail["person"] as? [String: Any])?["name"] as? String == ReentryFixture.wangQiang.name)
        #expect((detail["support_plan"] as? [[String: Any]])?.count == 2)

        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let reads = try await pool.query(
            "SELECT action, actor FROM mesh.audit_log WHERE chain = 'reentryd' AND target = $1 ORDER BY seq", ["case:\(caseRef)"]
        ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
        #expect(reads.contains("person.read caseworker-liu") && reads.contains("contacts.read caseworker-liu") && reads.contains("case.open supervisor-sun"))

        // meetingd's count: published for 东亭 while overdue, and again when it fell
        let counts = try await pool.query(
            "SELECT (payload->>'overdue_contacts')::int FROM mesh.events WHERE topic = 'reentry.alerts_counted' AND payload->>'community_code' = 'dongting' ORDER BY id"
        ).map { try $0.decode(Int.self, at: 0) }
        #expect((counts.first ?? 0) >= 1 && counts.count >= 2 && counts.last! < counts.first!)
        let topics = Set(try await pool.query("SELECT topic FROM mesh.events").map { try $0.decode(String.self, at: 0) })
        #expect(topics.isSuperset(of: ["case.opened", "contact.overdue", "contact.escalated", "visit.requested", "visit.reported", "reentry.alerts_counted"]))

        // nothing personal in any event, log line, metric or audit entry
        let events = try await pool.query("SELECT payload::text FROM mesh.events").map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        let audit = try await pool.query("SELECT concat_ws(' ', action, target, reason) FROM mesh.audit_log").map { try $0.decode(String.self, at: 0) }
            .joined(separator: "\n")
        let metrics = try await Mesh.request("GET", "\(f.url)/metrics").text + (try await Mesh.request("GET", "\(patrold.baseURL)/metrics").text)
        let visitsSeenByPatrold = try await Mesh.request("GET", "\(patrold.baseURL)/v1/visit-requests", token: f.lihua).text
        _ = try await f.reentryd.terminate()
        _ = try await patrold.terminate()
        let logs = f.reentryd.log + patrold.log
        #expect(!logs.isEmpty)
        let w = ReentryFixture.wangQiang
        for (place, text) in [("events", events), ("audit", audit), ("metrics", metrics), ("logs", logs), ("patrold", visitsSeenByPatrold)] {
            for secret in [w.name, w.id, w.address, w.phone, "王", "东亭路"] {
                #expect(!text.contains(secret), "\(place) contains personal data")
            }
        }
    }
}

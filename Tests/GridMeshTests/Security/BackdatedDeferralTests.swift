import Foundation
import GridCore
import Testing

/// Review hole 2: the accountable pair could defer a contact from a past day, erasing their own
/// miss before the grace period escalated it, and the miss vanished from the responsibility review.
@Suite("Backdated deferrals are the supervisor's, and the review shows what they excused")
struct BackdatedDeferralTests {
    @Test func thePairDefersFromTodayOnAndABackdatedDeferralShowsInTheReview() async throws {
        let f = try await ReentryFixture()
        defer { f.database.drop() }
        let today = ReentryFixture.today
        // opened 20 days ago: the first home visit was due 6 days ago and is a miss
        let (caseID, caseRef) = try await f.openCase(ReentryFixture.caseBody(startsOn: today.adding(days: -20)))
        func review() async throws -> [String: Any] { try Mesh.json(try await f.get("/v1/cases/\(caseID)/review", f.inspector)) }
        func count(_ key: String, _ review: [String: Any]) -> Int { (review[key] as? [Any])?.count ?? -1 }
        let before = try await review()
        #expect(count("misses", before) >= 1 && count("excused_misses", before) == 0, "\(before)")

        func deferral(_ token: String, from: CalendarDate, until: CalendarDate) async throws -> Int {
            let body = #"{"id":"\#(UUID().uuidString)","contact_type":"home_visit","from_on":"\#(from)","until_on":"\#(until)","reason":"住院治疗"}"#
            return try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/deferrals", token: token, json: body).status
        }
        #expect(try await deferral(f.liu, from: today.adding(days: -10), until: today.adding(days: 5)) == 403, "the pair cannot excuse its own miss")
        #expect(try await deferral(f.zhao, from: today.adding(days: -1), until: today.adding(days: 5)) == 403)
        #expect(try await deferral(f.liu, from: TestClock.today, until: today.adding(days: 10)) == 204, "from today on, the pair may")
        let afterPair = try await review()
        #expect(count("misses", afterPair) == count("misses", before), "a deferral from today does not touch the miss")

        #expect(try await deferral(f.supervisor, from: today.adding(days: -10), until: today.adding(days: 5)) == 204, "the supervisor may, with a reason")
        let after = try await review()
        #expect(count("misses", after) < count("misses", before), "\(after)")
        #expect(count("excused_misses", after) == count("misses", before) - count("misses", after), "the excused misses are still in the review")
        let deferrals = (after["deferrals"] as? [[String: Any]]) ?? []
        #expect(deferrals.filter { $0["backdated"] as? Bool == true }.count == 1 && deferrals.filter { $0["backdated"] as? Bool == false }.count == 1)
        let page = try await f.get("/v1/cases/\(caseID)/review?format=html", f.supervisor)
        #expect(page.text.contains("经事后延期免除的逾期") && page.text.contains("事后补批"))

        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let audited = try await pool.query(
            "SELECT action, actor FROM mesh.audit_log WHERE chain = 'reentryd' AND target = $1 AND action LIKE 'case.defer%' ORDER BY seq", ["case:\(caseRef)"]
        ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
        #expect(audited == ["case.defer caseworker-liu", "case.defer.backdated supervisor-sun"], "\(audited)")
        _ = try await f.reentryd.terminate()
    }
}

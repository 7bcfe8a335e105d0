import Foundation
import GridCore
import Testing

/// The caseworkers' everyday routes, each seen succeeding (and refused where it should be).
@Suite("reentryd: acknowledging alerts, standards, reassessment and the support plan")
struct ReentryCaseworkTests {
    @Test func thePairAcknowledgesItsAlertsTheSupervisorReassessesAndThePlanIsKept() async throws {
        let f = try await ReentryFixture()
        defer { f.database.drop() }
        let (caseID, _) = try await f.openCase(ReentryFixture.caseBody(startsOn: ReentryFixture.today.adding(days: -20)))

        // an alert of liu's: acknowledged by liu, not by another caseworker, gone from liu's inbox
        let alerts = try f.array(try await f.get("/v1/alerts", f.liu))
        let alert = try #require(alerts.first?["id"] as? String)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/alerts/\(alert)/acknowledge", token: f.gao).status == 404, "not gao's")
        #expect(try await Mesh.request("POST", "\(f.url)/v1/alerts/\(alert)/acknowledge", token: f.liu).status == 204)
        let after = try f.array(try await f.get("/v1/alerts", f.liu))
        #expect(!after.contains { $0["id"] as? String == alert } && after.count == alerts.count - 1)

        // every version of every standard, for anyone who works cases
        let standards = try f.array(try await f.get("/v1/contact-standards", f.liu))
        #expect(
            standards.contains {
                $0["kind"] as? String == "post_release" && $0["level"] as? String == "strict" && $0["contact_type"] as? String == "home_visit"
            })
        #expect(try await f.get("/v1/contact-standards", f.lihua).status == 403, "a grid worker does not")

        // the supervisor reassesses from today: the level changes and the obligations follow
        let today = TestClock.today
        let reassessed = try await Mesh.request(
            "POST", "\(f.url)/v1/cases/\(caseID)/reassessments", token: f.supervisor, json: #"{"level":"standard","effective_on":"\#(today)","reason":"表现良好"}"#)
        #expect(reassessed.status == 200, "\(reassessed.text)")
        #expect(try Mesh.json(reassessed)["level"] as? String == "standard")
        #expect(
            try await Mesh.request(
                "POST", "\(f.url)/v1/cases/\(caseID)/reassessments", token: f.supervisor, json: #"{"level":"strict","effective_on":"\#(today)","reason":"再议"}"#
            ).status == 409, "one level a day")

        // the support plan: an item added and updated by the pair
        let item = UUID().uuidString.lowercased()
        let added = try await Mesh.request(
            "PUT", "\(f.url)/v1/cases/\(caseID)/support-items/\(item)", token: f.liu, json: #"{"area":"employment","details":"推荐到社区就业站面试"}"#)
        #expect(added.status == 200, "\(added.text)")
        let updated = try await Mesh.request("PUT", "\(f.url)/v1/cases/\(caseID)/support-items/\(item)", token: f.liu, json: #"{"status":"done"}"#)
        let updatedStatus = try Mesh.json(updated)["status"] as? String
        #expect(updated.status == 200 && updatedStatus == "done", "\(updated.text)")
        #expect(try await Mesh.request("PUT", "\(f.url)/v1/cases/\(caseID)/support-items/\(item)", token: f.gao, json: #"{"status":"planned"}"#).status == 404)
        let detail = try Mesh.json(try await f.get("/v1/cases/\(caseID)", f.liu))
        #expect(
            ((detail["support_plan"] as? [[String: Any]]) ?? []).contains { ($0["id"] as? String)?.lowercased() == item && $0["status"] as? String == "done" })
        _ = try await f.reentryd.terminate()
    }
}

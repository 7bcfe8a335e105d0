import Foundation
import GridCore
import HTTPClient
import Postgres
import Testing

@Suite("reentryd: caseload scope, aggregates for the command centre, hit/no-hit, DB roles")
struct ReentryAccessTests {
    @Test func aCaseIsOpenToItsPairSupervisorAndInspectorsOnlyAndTheCommandCentreGetsCounts() async throws {
        let f = try await ReentryFixture()
        let (caseID, caseRef) = try await f.openCase()

        // a caseworker of another community: the case does not exist for them
        #expect(try await f.get("/v1/cases/\(caseID)", f.gao).status == 404)
        #expect((try Mesh.json(try await f.get("/v1/cases", f.gao))["items"] as? [Any])?.isEmpty == true)
        let contact =
            #"{"id":"\#(UUID().uuidString)","contact_type":"phone","method":"phone","location":"remote","outcome":"completed","occurred_at":"\#(TestClock.rfc3339())"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/contacts", token: f.gao, json: contact).status == 404)
        #expect(try f.array(try await f.get("/v1/due", f.gao)).isEmpty)

        // the pair and the supervisor see it; an inspector reads but cannot write
        #expect((try Mesh.json(try await f.get("/v1/cases", f.zhao))["items"] as? [[String: Any]])?.first?["case_ref"] as? String == caseRef)
        #expect(try await f.get("/v1/cases/\(caseID)", f.supervisor).status == 200)
        #expect(try await f.get("/v1/cases/\(caseID)", f.inspector).status == 200)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/contacts", token: f.inspector, json: contact).status == 403)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/contacts", token: f.zhao, json: contact).status == 201)

        // the command centre: counts per community, never a case or a name
        let listed = try await f.get("/v1/cases", f.command)
        #expect(listed.status == 403 && listed.headers.first { $0.name.lowercased() == "content-type" }?.value == "application/problem+json")
        #expect(try await f.get("/v1/cases/\(caseID)", f.command).status == 403)
        let summary = try await f.get("/v1/caseload/summary", f.command)
        #expect(summary.status == 200)
        let dongting = try #require(try f.array(summary).first { $0["community_code"] as? String == "dongting" })
        #expect(dongting["open_cases"] as? Int == 1 && dongting["post_release"] as? Int == 1 && (dongting["overdue_contacts"] as? Int ?? 0) >= 1)
        #expect(!summary.text.contains(caseRef) && !summary.text.contains(ReentryFixture.wangQiang.name) && !summary.text.contains("caseworker"))
        #expect(try await f.get("/v1/cases", f.lihua).status == 403)
        #expect(try await Mesh.request("GET", "\(f.url)/v1/cases").status == 401)

        // no other daemon's database role can read the reentry schema
        for role in ["patrold", "meetingd", "vettingd"] {
            let connection = try f.database.connect(user: role)
            for table in ["reentry.cases", "reentry.persons", "reentry.contacts"] {
                let refused = #expect(throws: PostgresError.self) { try connection.query("SELECT 1 FROM \(table) LIMIT 1") }
                #expect(refused?.code == .insufficientPrivilege, "\(role) on \(table)")
            }
        }
        _ = try await f.reentryd.terminate()
    }

    @Test func reallocationChecksTheExpectedPairAndTheReviewShowsWhoWasAssignedWhen() async throws {
        let f = try await ReentryFixture()
        let (caseID, caseRef) = try await f.openCase()
        func reallocate(_ expected: String, _ token: String) async throws -> HTTPResponse {
            let body =
                #"{"expected_community_worker":"\#(expected)","expected_police_officer":"officer-zhao","community_worker":"caseworker-ma","police_officer":"officer-zhao","reason":"刘社工调岗"}"#
            return try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/reallocation", token: token, json: body)
        }
        #expect(try await reallocate("caseworker-ma", f.supervisor).status == 409, "the caller expected the wrong pair")
        #expect(try await reallocate("caseworker-liu", f.liu).status == 403, "only the supervisor reallocates")
        let noReason =
            #"{"expected_community_worker":"caseworker-liu","expected_police_officer":"officer-zhao","community_worker":"caseworker-ma","police_officer":"officer-zhao","reason":" "}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/cases/\(caseID)/reallocation", token: f.supervisor, json: noReason).status == 422)
        #expect(try await reallocate("caseworker-liu", f.supervisor).status == 200)
        #expect(try await reallocate("caseworker-liu", f.supervisor).status == 409, "a second, stale reallocation is refused")
        #expect(try await f.get("/v1/cases/\(caseID)", f.liu).status == 404)
        #expect(try await f.get("/v1/cases/\(caseID)", f.ma).status == 200)

        let review = try Mesh.json(try await f.get("/v1/cases/\(caseID)/review", f.inspector))
        let assignments = try #require(review["assignments"] as? [[String: Any]])
        #expect(assignments.map { $0["community_worker"] as? String } == ["caseworker-liu", "caseworker-ma"])
        #expect(assignments.last?["reason"] as? String == "刘社工调岗")
        let misses = try #require(review["misses"] as? [[String: Any]])
        let firstVisit = try #require(misses.first { ($0["obligation"] as? [String: Any])?["contact_type"] as? String == "home_visit" })
        #expect(firstVisit["assigned_community_worker"] as? String == "caseworker-liu", "the miss was liu's: due before the reallocation")
        #expect(firstVisit["escalated_at"] != nil)
        #expect(try await f.get("/v1/cases/\(caseID)/review", f.ma).status == 403, "reviews are for supervisors and inspectors")
        let page = try await f.get("/v1/cases/\(caseID)/review?format=html", f.supervisor)
        #expect(page.status == 200 && page.text.contains("帮教责任倒查") && page.text.contains(caseRef) && !page.text.contains(ReentryFixture.wangQiang.name))
        #expect(page.text.range(of: #"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"#, options: .regularExpression) != nil, "Beijing time, as staff read it")
        _ = try await f.reentryd.terminate()
    }

    @Test func theRegistryAnswersOnlyHitOrNoHitAndOnlyToTheVettingService() async throws {
        let f = try await ReentryFixture()
        _ = try await f.openCase()
        func ask(_ hex: String, _ token: String) async throws -> (Int, String) {
            let response = try await Mesh.request("POST", "\(f.url)/v1/registry/checks", token: token, json: #"{"id_number_hmac":"\#(hex)"}"#)
            return (response.status, response.text)
        }
        let hit = try await ask(ReentryFixture.lookupHex(ReentryFixture.wangQiang.id), f.vetting)
        #expect(hit.0 == 200 && hit.1 == #"{"hit":true}"#)
        #expect(try await ask(ReentryFixture.lookupHex("420106198512124567"), f.vetting).1 == #"{"hit":false}"#)
        #expect(try await ask("abc", f.vetting).0 == 422)
        #expect(try await ask(ReentryFixture.lookupHex(ReentryFixture.wangQiang.id), try await TestKeys.token("svc-meetingd", .service, "district")).0 == 403)
        #expect(try await ask(ReentryFixture.lookupHex(ReentryFixture.wangQiang.id), f.supervisor).0 == 403)
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let asked = try await pool.query("SELECT reason FROM mesh.audit_log WHERE action = 'registry.check' AND actor = 'svc-vettingd' ORDER BY seq")
            .map { try $0.decode(String.self, at: 0) }
        #expect(asked == ["hit", "no hit"])
        _ = try await f.reentryd.terminate()
    }
}

import Foundation
import GridCore
import Testing

/// Review hole 3: who read findings depended only on scope, so caseworkers, election officers,
/// auditors, administrators and every service token read every finding of the district.
@Suite("Findings by need to know, not just scope")
struct NeedToKnowTests {
    @Test func eachRoleReadsFindingsOnlyIfItsWorkNeedsThem() async throws {
        let f = try await PatrolFixture()
        defer { f.database.drop() }
        let id = try await f.newFinding(f.zhangmin)
        try await f.step(f.officer, id, #"{"action":"dispatch"}"#)
        let service = try await TestKeys.token("svc-meetingd", .service, "district")
        let readers: [(String, String)] = [
            ("command centre", f.command), ("street officer", f.officer), ("the agency's head", f.cityHead), ("the reporter", f.zhangmin),
            ("discipline inspector", try await TestKeys.token("inspector-qian", .disciplineInspector, "district")),
        ]
        let none: [(String, String)] = [
            ("caseworker", try await TestKeys.token("caseworker-liu", .caseworker, "district")),
            ("election officer", try await TestKeys.token("election-wu", .electionOfficer, "district")),
            ("admin", try await TestKeys.token("admin", .admin, "district")),
            ("auditor", try await TestKeys.token("auditor-he", .auditor, "district")),
            ("a bare service token", service),
        ]
        for (who, token) in readers {
            #expect(try await f.listIDs(token) == [id], "\(who) lists it")
            #expect(try await f.get(token, "/v1/findings/\(id)").status == 200, "\(who) reads it")
        }
        // the roles without need are refused at the door, before any query
        for (who, token) in none {
            #expect(try await f.get(token, "/v1/findings").status == 403, "\(who) lists none")
            #expect(try await f.get(token, "/v1/findings/\(id)").status == 403, "\(who) reads none")
            #expect(try await f.get(token, "/v1/findings?format=csv").status == 403, "\(who) exports none")
            #expect(try await f.get(token, "/v1/findings/\(id)/photos").status == 403, "\(who) sees no photo")
            #expect(try await f.get(token, "/v1/following").status == 403, "\(who) follows nothing")
            #expect(try await Mesh.request("PUT", "\(f.url)/v1/findings/\(id)/followers/me", token: token).status == 403, "\(who) cannot follow it")
        }
        // the auditor counts (assessment), reads no finding
        let auditor = none[3].1
        let assessment = try await f.get(auditor, "/v1/assessment?group_by=street&from=\(TestClock.rfc3339(-86400))&to=\(TestClock.rfc3339(3600))")
        #expect(assessment.status == 200 && assessment.text.contains("shuiguohu"), "\(assessment.text)")
        let caseworkerAssessment = try await f.get(none[0].1, "/v1/assessment?group_by=street&from=\(TestClock.rfc3339(-86400))&to=\(TestClock.rfc3339(3600))")
        #expect(!caseworkerAssessment.text.contains("shuiguohu"))
        // a service acting for the officer sees what the officer sees
        let asOfficer = try await Mesh.request(
            "GET", "\(f.url)/v1/findings/\(id)", token: service,
            headers: [(Principal.onBehalfHeader, Principal(subject: "sgh-officer", role: .streetOfficer, scope: Scope("street:shuiguohu")!).onBehalfValue)])
        #expect(asOfficer.status == 200)
    }
}

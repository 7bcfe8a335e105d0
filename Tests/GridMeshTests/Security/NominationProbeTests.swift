import Foundation
import GridCore
import HTTPClient
import Testing

/// Review hole 8: a nomination asks the reentry registry and the clue ledger about a person, so an
/// election officer could nominate anyone to learn whether they are supervised or named in a clue.
/// Past a daily number of nominations an officer is refused, and the refusal is in vettingd's
/// audit chain for the discipline inspectors, as every nomination is.
@Suite("Probing by nomination is limited and visible")
struct NominationProbeTests {
    @Test func pastTheDailyLimitANominationIsRefusedAndTheInspectorsSeeIt() async throws {
        let f = try await VettingFixture(peers: ["GRIDMESH_VETTING_NOMINATIONS_PER_DAY": "2"])
        defer { f.database.drop() }
        let cycle = try await f.openCycle()
        func nominate(_ id: String, by officer: String) async throws -> HTTPResponse {
            let body = #"{"id":"\#(UUID().uuidString)","seat":"member","person":{"name":"候选人","national_id":"\#(id)","gender":"女"}}"#
            return try await f.send("POST", "/v1/cycles/\(cycle)/candidates", officer, body)
        }
        #expect(try await nominate(VettingScreeningTests.chenLi.id, by: f.wu).status == 201)
        #expect(try await nominate(VettingScreeningTests.zhouGang.id, by: f.wu).status == 201)
        let third = try await nominate(ReentryFixture.wangQiang.id, by: f.wu)
        #expect(third.status == 429 && third.header("Retry-After") != nil && third.text.contains("nomination-limit"), "\(third.text)")
        // the limit is the officer's: a second officer still nominates
        #expect(try await nominate(ReentryFixture.wangQiang.id, by: f.zheng).status == 201)

        let inspector = try await TestKeys.token("inspector-qian", .disciplineInspector, "district")
        let page = try Mesh.json(try await f.send("GET", "/v1/audit?target=cycle:\(cycle)", inspector))
        let refusals = ((page["entries"] as? [[String: Any]]) ?? []).filter { $0["action"] as? String == "candidate.nominate.refused" }
        #expect(refusals.count == 1 && refusals.first?["actor"] as? String == "election-wu", "\(page)")
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*)::int FROM vetting.candidates").first!.decode(Int.self, at: 0) == 3, "the refused one left no candidate")
    }
}

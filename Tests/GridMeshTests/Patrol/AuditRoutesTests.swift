import Foundation
import Testing

@Suite("GET /v1/audit: a daemon's own chain, for inspectors and auditors")
struct AuditRoutesTests {
    @Test func inspectorsReadWhoReadAClueAndWhetherTheChainHoldsOthersAreRefused() async throws {
        let f = try await PatrolFixture()
        let clue = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(clue)","category":"gambling_den","description":"地下室疑似赌博","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: body).status == 202)
        #expect(try await f.get(f.command, "/v1/clues/\(clue)").status == 200)

        let inspector = try await TestKeys.token("inspector-qian", .disciplineInspector, "district")
        let page = try Mesh.json(try await f.get(inspector, "/v1/audit?target=clue:\(clue)&verify=true"))
        let entries = (page["entries"] as? [[String: Any]]) ?? []
        #expect(entries.map { "\($0["action"] ?? "") \($0["actor"] ?? "")" } == ["clue.record zhangmin", "clue.read command"])
        #expect(entries.allSatisfy { $0["chain"] as? String == "patrold" && $0["actor_role"] is String })
        #expect(entries.allSatisfy { $0["hash"] == nil && $0["previous_hash"] == nil }, "the hashes stay inside")
        #expect(page["verified"] as? Bool == true)
        let next = try Mesh.json(try await f.get(inspector, "/v1/audit?target=clue:\(clue)&limit=1"))
        #expect((next["entries"] as? [[String: Any]])?.count == 1 && next["next_after"] as? Int != nil)
        let rest = try Mesh.json(try await f.get(inspector, "/v1/audit?target=clue:\(clue)&after=\(next["next_after"] as? Int ?? 0)"))
        #expect((rest["entries"] as? [[String: Any]])?.first?["action"] as? String == "clue.read")

        // the command centre, a street officer, an inspector of a street: refused; bad parameters: 400
        #expect(try await f.get(f.command, "/v1/audit").status == 403)
        #expect(try await f.get(f.officer, "/v1/audit").status == 403)
        let streetInspector = try await TestKeys.token("inspector-x", .disciplineInspector, "street:shuiguohu")
        #expect(try await f.get(streetInspector, "/v1/audit").status == 403)
        #expect(try await f.get(inspector, "/v1/audit?after=yesterday").status == 400)
        #expect(try await f.get(inspector, "/v1/audit?limit=0").status == 400)
        _ = try await f.patrold.terminate()
    }
}

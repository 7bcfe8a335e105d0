import Foundation
import GridCore
import Testing

@Suite("vettingd: screening with hit/no-hit cross-checks against the real reentryd and patrold")
struct VettingScreeningTests {
    static let chenLi = (name: "陈丽", id: "420106198512124567")
    static let zhouGang = (name: "周刚", id: "11010519491231002X")

    @Test func aCandidateInTheReentryRegistryIsFlaggedConsiderWithoutVettingdLearningWhy() async throws {
        // reentryd holds 王强's case; patrold's clue ledger names 周刚
        let reentry = try await ReentryFixture(withPatrold: true)
        let patrold = try #require(reentry.patrold)
        _ = try await reentry.openCase()
        let clue = UUID().uuidString
        let tip = #"{"id":"\#(clue)","category":"gambling_den","channel":"phone","summary":"地下室聚赌","reporter":"匿名","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/clues", token: reentry.command, json: tip).status == 201)
        let named = #"{"national_id":"\#(Self.zhouGang.id)","role":"suspect"}"#
        #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/clues/\(clue)/named-persons", token: reentry.command, json: named).status == 204)
        #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/clues/\(clue)/named-persons", token: reentry.liu, json: named).status == 403)

        let f = try await VettingFixture(
            peers: ["GRIDMESH_REENTRYD_URL": reentry.url, "GRIDMESH_PATROLD_URL": patrold.baseURL], database: reentry.database)
        let cycle = try await f.openCycle()
        func nominate(_ name: String, _ id: String, seat: String = "member") async throws -> String {
            let candidate = UUID().uuidString.lowercased()
            let body = #"{"id":"\#(candidate)","seat":"\#(seat)","person":{"name":"\#(name)","national_id":"\#(id)","gender":"男","party_member":true}}"#
            let response = try await f.send("POST", "/v1/cycles/\(cycle)/candidates", f.wu, body)
            #expect(response.status == 201, "\(response.text)")
            return candidate
        }
        let wang = try await nominate(ReentryFixture.wangQiang.name, ReentryFixture.wangQiang.id, seat: "director")
        let chen = try await nominate(Self.chenLi.name, Self.chenLi.id)
        let zhou = try await nominate(Self.zhouGang.name, Self.zhouGang.id)
        #expect(
            try await f.send(
                "POST", "/v1/cycles/\(cycle)/candidates", f.wu,
                #"{"id":"\#(UUID().uuidString)","seat":"member","person":{"name":"陈丽","national_id":"\#(Self.chenLi.id)"}}"#
            ).status == 409)

        // the remote checks come back; the manual ones are recorded by an officer
        func checks(_ candidate: String) async throws -> [String: String] {
            let detail = try Mesh.json(try await f.send("GET", "/v1/candidates/\(candidate)", f.wu))
            return ((detail["checks"] as? [[String: Any]]) ?? []).reduce(into: [:]) { $0[$1["kind"] as! String] = ($1["result"] as? String) ?? "pending" }
        }
        #expect(
            try await TestSupport.eventually {
                for candidate in [wang, chen, zhou] {
                    let results = try await checks(candidate)
                    if results["reentry_registry"] == "pending" || results["clue_ledger"] == "pending" { return false }
                }
                return true
            })
        let (wangChecks, zhouChecks, chenChecks) = (try await checks(wang), try await checks(zhou), try await checks(chen))
        #expect(wangChecks["reentry_registry"] == "hit" && wangChecks["clue_ledger"] == "no_hit")
        #expect(zhouChecks["reentry_registry"] == "no_hit" && zhouChecks["clue_ledger"] == "hit")
        #expect(chenChecks["reentry_registry"] == "no_hit" && chenChecks["clue_ledger"] == "no_hit")
        for candidate in [wang, chen, zhou] {
            for kind in ["discipline_record", "qualifications"] {
                #expect(try await f.send("POST", "/v1/candidates/\(candidate)/checks/\(kind)", f.zheng, #"{"result":"pass","note":"无"}"#).status == 200)
            }
        }
        func state(_ candidate: String) async throws -> String? {
            (try Mesh.json(try await f.send("GET", "/v1/candidates/\(candidate)", f.wu))["candidate"] as? [String: Any])?["state"] as? String
        }
        let states = [try await state(wang), try await state(zhou), try await state(chen)]
        #expect(states == ["consider", "consider", "clear"])

        // vettingd learned "hit" and nothing else: nothing of the case is in its data or its events
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let stored = try await pool.query(
            """
            SELECT coalesce(string_agg(concat_ws(' ', kind, result, last_error), ' '), '') FROM vetting.checks
            """
        ).first!.decode(String.self, at: 0)
        #expect(!stored.contains("RC-") && !stored.contains("post_release") && !stored.contains("strict") && !stored.contains("dongting-05"))
        let screened = try await pool.query(
            "SELECT payload::text FROM mesh.events WHERE topic = 'candidate.screened'"
        ).map { try $0.decode(String.self, at: 0) }
        #expect(screened.count == 3 && screened.allSatisfy { !$0.contains("陈") && !$0.contains("王") && !$0.contains("4201") })

        // a second officer reviews; the nominator may not; the candidate is notified and responds
        #expect(try await f.send("POST", "/v1/candidates/\(wang)/review", f.wu, #"{"decision":"adverse","reasons":["registry_hit"]}"#).status == 403)
        #expect(try await f.send("POST", "/v1/candidates/\(wang)/review", f.zheng, #"{"decision":"adverse","reasons":["rumours"]}"#).status == 422)
        let reviewed = try Mesh.json(try await f.send("POST", "/v1/candidates/\(wang)/review", f.zheng, #"{"decision":"adverse","reasons":["registry_hit"]}"#))
        #expect(reviewed["state"] as? String == "notified" && reviewed["response_due_at"] != nil)
        #expect(try await f.send("POST", "/v1/candidates/\(wang)/decision", f.zheng, #"{"decision":"uphold","reason":"x"}"#).status == 409, "may still respond")
        #expect(try await f.send("POST", "/v1/candidates/\(wang)/response", f.wu, #"{"text":"本人已解除社区矫正，申请说明情况"}"#).status == 200)
        let decided = try Mesh.json(try await f.send("POST", "/v1/candidates/\(wang)/decision", f.zheng, #"{"decision":"uphold","reason":"不宜提名"}"#))
        #expect(decided["state"] as? String == "rejected")

        // the reserve pool: only cleared candidates, promoted in order
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/reserve", f.wu, #"{"candidate_id":"\#(wang)"}"#).status == 409)
        let otherCycle = try await f.openCycle(community: "shuiguohu")
        #expect(
            try await f.send("POST", "/v1/cycles/\(otherCycle)/reserve", f.wu, #"{"candidate_id":"\#(chen)"}"#).status == 422,
            "a candidate joins the reserve of their own cycle only")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/reserve", f.wu, #"{"candidate_id":"\#(chen)"}"#).status == 200)
        let promoted = try Mesh.json(try await f.send("POST", "/v1/cycles/\(cycle)/reserve/promote", f.wu, #"{"seat":"deputy"}"#))
        #expect((promoted["candidate_id"] as? String)?.lowercased() == chen && promoted["promoted_to"] as? String == "deputy")
        #expect(try await f.send("POST", "/v1/cycles/\(cycle)/reserve/promote", f.wu, #"{"seat":"member"}"#).status == 409)
        let reserve = try #require(
            try JSONSerialization.jsonObject(with: Data(try await f.send("GET", "/v1/cycles/\(cycle)/reserve", f.wu).body)) as? [[String: Any]])
        #expect(reserve.count == 1 && (reserve.first?["candidate_id"] as? String)?.lowercased() == chen, "\(reserve)")
        #expect(try await f.send("GET", "/v1/cycles/\(cycle)/reserve", f.otherStreet).status == 404)

        // the cycle's candidates: no identity in the list, and the list read itself is audited
        let listed = try await f.send("GET", "/v1/cycles/\(cycle)/candidates", f.wu)
        let candidates = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])
        #expect(Set(candidates.compactMap { ($0["id"] as? String)?.lowercased() }) == [wang, chen, zhou])
        #expect(!listed.text.contains(Self.chenLi.id) && !listed.text.contains("陈丽"), "no identity in the list")
        #expect(try await f.send("GET", "/v1/cycles/\(cycle)/candidates", f.otherStreet).status == 404)
        let cycles = try #require(try JSONSerialization.jsonObject(with: Data(try await f.send("GET", "/v1/cycles", f.wu).body)) as? [[String: Any]])
        let cycleIDs = cycles.compactMap { ($0["id"] as? String)?.lowercased() }
        #expect(cycleIDs.contains(cycle))
        let otherCycles = try JSONSerialization.jsonObject(with: Data(try await f.send("GET", "/v1/cycles", f.otherStreet).body)) as? [[String: Any]]
        #expect(otherCycles?.contains { ($0["id"] as? String)?.lowercased() == cycle } == false, "another street's officer does not list it")

        // every screening read is audited; the questions are in reentryd's and patrold's chains
        let audited = try await pool.query("SELECT chain, action, count(*)::int FROM mesh.audit_log GROUP BY chain, action").map {
            "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))"
        }
        #expect(
            audited.contains("vettingd screening.read") && audited.contains("vettingd candidates.read") && audited.contains("reentryd registry.check")
                && audited.contains("patrold clue.check"))
        #expect(try await f.send("GET", "/v1/candidates/\(wang)", f.otherStreet).status == 404)
        let (verified, log) = try await Mesh.gridctl(f.database, ["audit", "verify"])
        #expect(verified == 0, "\(log)")
        _ = try await f.vettingd.terminate()
        _ = try await reentry.reentryd.terminate()
        _ = try await patrold.terminate()
        #expect(!f.vettingd.log.contains(ReentryFixture.wangQiang.id) && !f.vettingd.log.contains("陈丽"))
    }
}

import Foundation
import GridCore
import Testing

@Suite("vettingd: the readiness board of 141 communities")
struct ReadinessBoardTests {
    @Test func theBoardCountsMatchASeededDistrict() async throws {
        let f = try await VettingFixture()
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let communities = try await pool.query("SELECT code, street_code FROM geo.communities ORDER BY code").map {
            (code: try $0.decode(String.self, at: 0), street: try $0.decode(String.self, at: 1))
        }
        #expect(communities.count == 141)

        // every seventh community has not started; the others each stand at one of six stages
        var expected = (ready: 0, blocked: 0, notStarted: 0, noPlan: 0, passed: ["inspection": 0, "audit": 0, "rectification": 0, "assessment": 0])
        var shuiguohuReady = 0
        for (index, community) in communities.enumerated() {
            let stage = index % 7
            guard stage != 0 else {
                expected.notStarted += 1
                continue
            }
            let officer = try await TestKeys.token("election-\(community.street)", .electionOfficer, "street:\(community.street)")
            let cycle = try await f.openCycle(community: community.code, token: officer)
            let passed: [String] =
                switch stage {
                case 1, 2: ["inspection", "audit", "rectification", "assessment"]
                case 3: ["inspection", "rectification"]
                case 4: ["inspection"]
                case 5: ["inspection", "audit", "rectification"]
                default: []
                }
            for gate in passed {
                try await pool.query(
                    "UPDATE vetting.gates SET state = 'passed', passed_at = now() WHERE cycle_id = $1 AND gate = $2", [UUID(uuidString: cycle)!, gate])
                expected.passed[gate]! += 1
            }
            if stage == 3 {
                try await pool.query(
                    "UPDATE vetting.gates SET state = 'failed', failed_at = now() WHERE cycle_id = $1 AND gate = 'audit'", [UUID(uuidString: cycle)!])
                expected.blocked += 1
            }
            if stage != 2 {
                try await pool.query("UPDATE vetting.cycles SET contingency_plan = '预案' WHERE id = $1", [UUID(uuidString: cycle)!])
            } else {
                expected.noPlan += 1
            }
            if stage == 1 {
                expected.ready += 1
                if community.street == "shuiguohu" { shuiguohuReady += 1 }
            }
        }

        let board = try Mesh.json(try await f.send("GET", "/v1/readiness?scope=district&term=2026", f.command))
        let totals = try #require(board["totals"] as? [String: Any])
        #expect(totals["communities"] as? Int == 141)
        #expect(totals["not_started"] as? Int == expected.notStarted && totals["with_cycle"] as? Int == 141 - expected.notStarted)
        #expect(totals["ready"] as? Int == expected.ready && totals["blocked"] as? Int == expected.blocked)
        #expect(totals["passed"] as? [String: Int] == expected.passed)
        let blockedBy = try #require(totals["blocked_by"] as? [String: Int])
        #expect(blockedBy["gate_failed:audit"] == expected.blocked && blockedBy["no_contingency_plan"] == expected.noPlan)
        #expect((board["streets"] as? [Any])?.count == 14)
        // every community, for the console's map: as many ready as the totals say
        let all = try #require(board["communities"] as? [[String: Any]])
        #expect(all.count == 141 && all.filter { $0["ready"] as? Bool == true }.count == expected.ready)
        #expect(all.allSatisfy { ($0["street_code"] as? String)?.isEmpty == false })

        // a street's officers see their street, community by community
        let street = try Mesh.json(try await f.send("GET", "/v1/readiness?scope=street:shuiguohu&term=2026", f.wu))
        let rows = try #require(street["communities"] as? [[String: Any]])
        #expect(rows.count == communities.filter { $0.street == "shuiguohu" }.count)
        #expect(rows.filter { $0["ready"] as? Bool == true }.count == shuiguohuReady)
        #expect(rows.allSatisfy { ($0["ready"] as? Bool == true) == ($0["reasons"] as? [String])?.isEmpty })
        let page = try await f.send("GET", "/v1/readiness?scope=district&term=2026&format=html", f.command)
        #expect(page.status == 200 && page.text.contains("就绪 \(expected.ready) / 141"))
        #expect(!page.text.contains("三、各社区"), "the district's printable page stays a summary")
        _ = try await f.vettingd.terminate()
    }
}

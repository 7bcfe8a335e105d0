import Audit
import Foundation
import GridCore
import Postgres
import Testing

@Suite("patrold: the clue ledger and the audit log")
struct ClueLedgerTests {
    @Test func aClueFromAPatrolReachesOnlyTheLedgerAndEveryReadIsAudited() async throws {
        let f = try await PatrolFixture()
        let id = UUID()
        let body = #"{"id":"\#(id.uuidString)","category":"gambling_den","description":"地下室疑似赌博窝点，夜间人员聚集","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let first = try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: body)
        #expect(first.status == 202)
        #expect(try Mesh.json(first)["kind"] as? String == "clue")
        #expect(!first.text.contains("赌博"), "the reporter's receipt says only that it arrived")
        #expect(try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: body).status == 200)

        // not a finding: nowhere in the findings ledger, not even for the command centre
        #expect(try await f.listIDs(f.command).isEmpty)
        #expect(try await f.get(f.command, "/v1/findings/\(id.uuidString)").status == 404)
        #expect(try await f.listIDs(f.officer).isEmpty)
        // the ledger is closed to everyone but the command centre and discipline inspectors
        for token in [f.officer, f.zhangmin, f.cityHead] {
            #expect(try await f.get(token, "/v1/clues").status == 403)
            #expect(try await f.get(token, "/v1/clues/\(id.uuidString)").status == 403)
        }
        let listed = try Mesh.json(try await f.get(f.command, "/v1/clues"))
        let clue = try #require((listed["items"] as? [[String: Any]])?.first)
        #expect(clue["reporter"] as? String == "zhangmin")
        #expect(clue["channel"] as? String == "patrol")
        #expect(clue["grid_code"] as? String == "dongting-03")
        let inspector = try await TestKeys.token("inspector-qian", .disciplineInspector, "district")
        #expect(try await f.get(inspector, "/v1/clues/\(id.uuidString)").status == 200)

        let transfer = try await Mesh.request(
            "POST", "\(f.url)/v1/clues/\(id.uuidString)/transfers", token: f.command,
            json: #"{"direction":"to_commission","note":"移送区纪委","external_ref":"JW-2026-118"}"#)
        #expect(transfer.status == 200)
        #expect(try Mesh.json(transfer)["state"] as? String == "transferred")

        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let audit = try await pool.query("SELECT actor, action FROM mesh.audit_log WHERE target = $1 ORDER BY seq", ["clue:\(id.uuidString.lowercased())"])
            .map { "\(try $0.decode(String.self, at: 0)):\(try $0.decode(String.self, at: 1))" }
        #expect(audit == ["zhangmin:clue.record", "command:clue.read", "inspector-qian:clue.read", "command:clue.transfer.to_commission"])
        let payload = try await pool.query("SELECT payload::text FROM mesh.events WHERE topic = 'clue.transferred'").first!.decode(String.self, at: 0)
        #expect(!payload.contains("赌博") && !payload.contains("zhangmin") && !payload.contains("JW-2026"))
        #expect(try await pool.query("SELECT count(*) FROM mesh.events WHERE topic = 'finding.submitted'").first!.decode(Int.self, at: 0) == 0)
    }

    @Test func staffRecordTipOffsFromOtherChannels() async throws {
        let f = try await PatrolFixture()
        let id = UUID()
        let tip =
            #"{"id":"\#(id.uuidString)","category":"predatory_lending","channel":"phone","summary":"有人以低息贷款为名诱骗老人签约","street_code":"shuiguohu","reporter":"匿名来电","reporter_contact":"027-8888xxxx","observed_at":"\#(TestSupport.anHourAgo)"}"#
        #expect(try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.officer, json: tip).status == 403)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.command, json: tip).status == 201)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.command, json: tip).status == 200)
        // recorded as told, once, by whom it was recorded
        let recorded = try #require(try Mesh.json(try await f.get(f.command, "/v1/clues/\(id.uuidString)"))["clue"] as? [String: Any])
        #expect(recorded["category"] as? String == "predatory_lending" && recorded["channel"] as? String == "phone")
        #expect(recorded["summary"] as? String == "有人以低息贷款为名诱骗老人签约" && recorded["street_code"] as? String == "shuiguohu")
        #expect(recorded["reporter"] as? String == "匿名来电" && recorded["reporter_contact"] as? String == "027-8888xxxx", "\(recorded)")
        let ledger = try Mesh.json(try await f.get(f.command, "/v1/clues"))
        #expect((ledger["items"] as? [[String: Any]])?.count == 1, "a repeated record is the same clue")
        let wrongKind = tip.replacingOccurrences(of: "predatory_lending", with: "road_damage").replacingOccurrences(of: id.uuidString, with: UUID().uuidString)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.command, json: wrongKind).status == 422)
        let badChannel = tip.replacingOccurrences(of: "\"phone\"", with: "\"pigeon\"").replacingOccurrences(of: id.uuidString, with: UUID().uuidString)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.command, json: badChannel).status == 422)
        let badTransfer = try await Mesh.request("POST", "\(f.url)/v1/clues/\(id.uuidString)/transfers", token: f.command, json: #"{"direction":"sideways"}"#)
        #expect(badTransfer.status == 422)
        #expect(
            try await Mesh.request("POST", "\(f.url)/v1/clues/\(UUID().uuidString)/transfers", token: f.command, json: #"{"direction":"to_commission"}"#).status
                == 404)
    }

    @Test func theAuditChainVerifiesAndCatchesAChangedOrRemovedEntry() async throws {
        let f = try await PatrolFixture()
        for _ in 0..<3 {
            let body = #"{"id":"\#(UUID().uuidString)","category":"organised_crime","description":"线索","observed_at":"\#(TestSupport.anHourAgo)"}"#
            #expect(try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: body).status == 202)
        }
        _ = try await f.get(f.command, "/v1/clues")
        let (ok, okLog) = try await Mesh.gridctl(f.database, ["audit", "verify"])
        #expect(ok == 0, "\(okLog)")
        #expect(okLog.contains("6 entries checked, 0 chains broken"))

        // the daemon's own role cannot rewrite history
        let asPatrold = f.database.pool(user: "patrold", size: 1)
        defer { asPatrold.close() }
        await #expect(throws: PostgresError.self) { try await asPatrold.query("UPDATE mesh.audit_log SET actor = 'nobody'") }
        await #expect(throws: PostgresError.self) { try await asPatrold.query("DELETE FROM mesh.audit_log") }

        let admin = try f.database.connect()
        try admin.execute("UPDATE mesh.audit_log SET actor = 'someone-else' WHERE seq = 4")
        let (changed, changedLog) = try await Mesh.gridctl(f.database, ["audit", "verify"])
        #expect(changed == 1)
        #expect(changedLog.contains("patrold #4: its contents were changed"))

        let restored = try await asPatrold.query("SELECT 1").count
        #expect(restored == 1)
        try admin.execute("UPDATE mesh.audit_log SET actor = 'command' WHERE seq = 4")
        try admin.execute("DELETE FROM mesh.audit_log WHERE seq = 2")
        let (removed, removedLog) = try await Mesh.gridctl(f.database, ["audit", "verify"])
        #expect(removed == 1)
        #expect(removedLog.contains("patrold #3: expected entry #2"))
    }
}

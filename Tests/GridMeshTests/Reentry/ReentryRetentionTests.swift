import Foundation
import GridCore
import Postgres
import Testing

@Suite("reentryd: cases close at their end and are purged after retention, unless held")
struct ReentryRetentionTests {
    @Test func purgeRemovesThePersonalDataKeepsADestructionRecordAndSparesALegalHold() async throws {
        let today = ReentryFixture.today
        // first run: retention far away, so nothing is purged while the cases are set up
        let first = try await ReentryFixture(extra: ["GRIDMESH_REENTRY_RETENTION_DAYS": "36500"])
        let ended = ReentryFixture.caseBody(startsOn: today.adding(days: -400), endsOn: today.adding(days: -10))
        let (purgedID, purgedRef) = try await first.openCase(ended)
        let heldBody = ReentryFixture.caseBody(nationalID: "420106198512124567", startsOn: today.adding(days: -400), endsOn: today.adding(days: -10))
        let (heldID, _) = try await first.openCase(heldBody)
        let hold = try await Mesh.request(
            "POST", "\(first.url)/v1/cases/\(heldID)/legal-hold", token: first.inspector, json: #"{"hold":true,"reason":"申诉审查中"}"#)
        #expect(hold.status == 200)
        let pool = first.database.pool(size: 1)
        defer { pool.close() }
        #expect(
            try await TestSupport.eventually {
                try await pool.query("SELECT count(*)::int FROM reentry.cases WHERE state = 'closed'").first!.decode(Int.self, at: 0) == 2
            })
        #expect(try await ReentryFixture.lookup(first, ReentryFixture.wangQiang.id) == true, "closed but retained: still a hit")
        // reasons staff type live with their case; the audit chain keeps a keyed digest of them
        #expect(try await first.get("/v1/cases/\(purgedID)/review", first.inspector).status == 200)
        func reasons(_ id: String) async throws -> Int {
            try await pool.query("SELECT count(*)::int FROM reentry.audit_reasons WHERE case_id = $1", [UUID(uuidString: id)!]).first!.decode(Int.self, at: 0)
        }
        let (purgedReasons, heldReasons) = (try await reasons(purgedID), try await reasons(heldID))
        #expect(purgedReasons >= 1 && heldReasons >= 1)
        let clear = try await pool.query(
            "SELECT count(*)::int FROM mesh.audit_log WHERE chain = 'reentryd' AND (reason LIKE '%申诉审查中%' OR (action = 'case.hold' AND reason NOT LIKE 'hmac:%'))"
        ).first!.decode(Int.self, at: 0)
        #expect(clear == 0, "no reentryd audit entry carries the hold's reason as text")
        let (status, report) = try await Mesh.gridctl(first.database, ["reentry", "retention", "--days", "5"])
        #expect(status == 0 && report.contains("1 due now, 1 on legal hold"), "\(report)")
        #expect(report.contains(purgedRef) && !report.contains(ReentryFixture.wangQiang.name))
        _ = try await first.reentryd.terminate()

        // second run: five days' retention; the purge runs at once
        let second = try await ReentryFixture(
            extra: ["GRIDMESH_REENTRY_RETENTION_DAYS": "5", "GRIDMESH_RETENTION_MS": "200"], database: first.database)
        #expect(
            try await TestSupport.eventually {
                try await pool.query("SELECT count(*)::int FROM reentry.destructions").first!.decode(Int.self, at: 0) == 1
            })
        #expect(try await second.get("/v1/cases/\(purgedID)", second.supervisor).status == 404)
        #expect(try await second.get("/v1/cases/\(heldID)", second.supervisor).status == 200, "the held case is kept")
        let left = try await pool.query(
            """
            SELECT (SELECT count(*) FROM reentry.persons WHERE case_id = $1)::int, (SELECT count(*) FROM reentry.support_items WHERE case_id = $1)::int,
                   (SELECT count(*) FROM reentry.assignments WHERE case_id = $1)::int, (SELECT state FROM reentry.cases WHERE id = $1),
                   (SELECT residence_grid FROM reentry.cases WHERE id = $1), (SELECT removed->>'persons' FROM reentry.destructions WHERE case_id = $1),
                   (SELECT case_ref FROM reentry.destructions WHERE case_id = $1)
            """, [UUID(uuidString: purgedID)!]
        ).first!
        #expect(try left.decode(Int.self, at: 0) == 0 && left.decode(Int.self, at: 1) == 0 && left.decode(Int.self, at: 2) == 0)
        #expect(try left.decode(String.self, at: 3) == "purged" && left.decode(String?.self, at: 4) == nil)
        #expect(try left.decode(String.self, at: 5) == "1" && left.decode(String.self, at: 6) == purgedRef)
        #expect(try await ReentryFixture.lookup(second, ReentryFixture.wangQiang.id) == false, "purged: no longer a hit")
        #expect(try await ReentryFixture.lookup(second, "420106198512124567") == true)
        let topics = try await pool.query("SELECT topic FROM mesh.events WHERE topic LIKE 'case.%' ORDER BY id").map { try $0.decode(String.self, at: 0) }
        #expect(topics.filter { $0 == "case.closed" }.count == 2 && topics.filter { $0 == "case.purged" }.count == 1)
        #expect(try await reasons(purgedID) == 0, "the purge took the reasons with the case")
        #expect(try await reasons(heldID) >= 1, "the held case keeps its own")
        let (verified, log) = try await Mesh.gridctl(first.database, ["audit", "verify"])
        #expect(verified == 0, "\(log)")
        _ = try await second.reentryd.terminate()
    }
}

extension ReentryFixture {
    /// vettingd's question, asked with its service token.
    static func lookup(_ f: ReentryFixture, _ id: String) async throws -> Bool {
        let response = try await Mesh.request("POST", "\(f.url)/v1/registry/checks", token: f.vetting, json: #"{"id_number_hmac":"\#(lookupHex(id))"}"#)
        return try Mesh.json(response)["hit"] as? Bool ?? false
    }
}

import Foundation
import GridCore
import PersonalData
import Testing

/// Client input that used to yield a 500 or a crash (review hole 7): lengths counted as
/// PostgreSQL counts them, no force unwrap on input, no failing row in any log.
@Suite("Input that once crashed or answered 500")
struct InputHardeningTests {
    /// 🇨🇳 is one Swift character and two code points: 101 of them pass a character count of 200.
    static let flags = String(repeating: "🇨🇳", count: 101)

    @Test func lengthsAreCountedInCodePointsAndAFailingRowNeverReachesTheLog() async throws {
        let f = try await PatrolFixture()
        defer { f.database.drop() }
        let secret = "地下室聚赌线索：王某某，电话13900000000"
        let tip =
            #"{"id":"\#(UUID().uuidString)","category":"gambling_den","channel":"phone","summary":"\#(secret)","street_code":"shuiguohu","reporter":"匿名","address":"\#(Self.flags)","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let clue = try await Mesh.request("POST", "\(f.url)/v1/clues", token: f.command, json: tip)
        #expect(clue.status == 422 && clue.text.contains("address"), "\(clue.status) \(clue.text)")
        let finding =
            #"{"id":"\#(UUID().uuidString)","category":"road_damage","description":"\#(String(repeating: "🇨🇳", count: 1001))","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let long = try await Mesh.request("POST", "\(f.url)/v1/findings", token: f.zhangmin, json: finding)
        #expect(long.status == 422 && long.text.contains("description"), "\(long.status)")
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        #expect(
            try await pool.query("SELECT (SELECT count(*) FROM patrol.clues)::int + (SELECT count(*) FROM patrol.findings)::int").first!.decode(Int.self, at: 0)
                == 0)
        #expect(try await Mesh.request("GET", "\(f.url)/healthz").status == 200)
        _ = try await f.patrold.terminate()
        #expect(!f.patrold.log.contains("地下室聚赌") && !f.patrold.log.contains("13900000000"), "no clue text in the log")
        #expect(!f.patrold.log.contains("unhandled error"))
    }

    @Test func fullwidthDigitsInALookupHashAreRefusedNotACrash() async throws {
        let f = try await ReentryFixture()
        defer { f.database.drop() }
        let fullwidth = String(repeating: "０", count: 64)
        for hash in [fullwidth, String(repeating: "g", count: 64), String(repeating: "a", count: 63), "٣" + String(repeating: "a", count: 63)] {
            let response = try await Mesh.request("POST", "\(f.url)/v1/registry/checks", token: f.vetting, json: #"{"id_number_hmac":"\#(hash)"}"#)
            #expect(response.status == 422, "\(hash.prefix(4)): \(response.status)")
        }
        #expect(try await Mesh.request("GET", "\(f.url)/healthz").status == 200, "reentryd is still there")
        #expect(NationalID.lookupHash(hex: fullwidth) == nil)
        #expect(NationalID.lookupHash(hex: String(repeating: "aB", count: 32)) == Data(repeating: 0xAB, count: 32))
        _ = try await f.reentryd.terminate()
    }
}

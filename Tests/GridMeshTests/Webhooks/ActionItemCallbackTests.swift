import Crypto
import Foundation
import GridCore
import HTTPClient
import Testing
import Webhooks

@Suite("Webhooks both ways for action items: the squad gets its item, and its signed callback reports it done")
struct ActionItemCallbackTests {
    @Test func anAssignedActionItemReachesTheAgencyWhoseSignedCallbackMarksItDone() async throws {
        let database = try await TestDatabase.make()
        let meetingd = try await Mesh.start(
            "meetingd", database: database, extra: ["GRIDMESH_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", "GRIDMESH_WEBHOOK_RETRY_SECONDS": "1,1,1"])
        let receiver = try await WebhookFixture.startReceiver(port: 0, recordFile: TestScratch.path("squad-\(UUID().uuidString.prefix(8)).jsonl"))
        let admin = try await TestKeys.token("admin", .admin, "district")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let subscription =
            #"{"id":"\#(UUID().uuidString)","url":"\#(receiver.baseURL)/hooks/squad","topics":["action_item.*"],"agency_code":"shuiguohu/city_management"}"#
        let created = try await Mesh.request("POST", "\(meetingd.baseURL)/v1/webhooks", token: admin, json: subscription)
        #expect(created.status == 201, "\(created.text)")
        let hookSecret = try #require(try Mesh.json(created)["secret"] as? String)
        #expect(try await Mesh.request("POST", "\(receiver.baseURL)/control", json: #"{"secrets":["\#(hookSecret)"]}"#).status == 204)

        // a meeting with quorum decides two action items: one for the squad, one for the police
        let meeting = try await Mesh.meetingInProgress(at: meetingd, officer: officer)
        let deadline = WorkingCalendar().adding(workingDays: 5, to: TestClock.today)
        let item = UUID().uuidString.lowercased()
        for (id, owner) in [(item, "shuiguohu/city_management"), (UUID().uuidString, "shuiguohu/police_station")] {
            let action = #"{"id":"\#(id)","kind":"action_item","text":"清理并加装垃圾桶","owner_agency":"\#(owner)","deadline":"\#(deadline)"}"#
            #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/outcomes", token: officer, json: action).status == 200)
        }
        func received() async throws -> [[String: Any]] {
            (try JSONSerialization.jsonObject(with: Data(try await Mesh.request("GET", "\(receiver.baseURL)/received").body)) as? [[String: Any]]) ?? []
        }
        #expect(try await TestSupport.eventually { try await received().count == 1 })
        #expect((try await received().first?["body"] as? String)?.contains(#""owner_agency": "shuiguohu/city_management""#) == true)

        // the squad's back office calls back, signed with its agency secret
        let (status, log) = try await Mesh.gridctl(database, ["callbacks", "secret", "--agency", "shuiguohu/city_management"])
        #expect(status == 0)
        let secret = try #require(log.split(separator: "\n").first { $0.hasPrefix("whsec_") }.map(String.init))

        // neither secret is in the database in clear: both are sealed with the secrets key, each to its row
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let stored = try await pool.query(
            """
            SELECT secret FROM mesh.webhook_endpoints
            UNION ALL SELECT unnest(secrets) FROM meeting.agency_callbacks UNION ALL SELECT unnest(secrets) FROM patrol.agency_callbacks
            """
        ).map { try $0.decode(String.self, at: 0) }
        #expect(stored.count == 3 && stored.allSatisfy { $0.hasPrefix("sealed:v1:") && !$0.contains("whsec_") })
        let sealer = try TestKeys.secrets
        #expect(try sealer.open(stored[1], for: "callback:shuiguohu/city_management") == secret)
        #expect(throws: SecretSealer.Unreadable.self) { try sealer.open(stored[1], for: "callback:shuiguohu/police_station") }
        #expect(throws: SecretSealer.Unreadable.self) { try SecretSealer(key: .init(size: .bits256)).open(stored[0], for: "endpoint:x") }
        #expect(throws: SecretSealer.Unreadable.self) { try sealer.open(secret, for: "callback:shuiguohu/city_management") }
        let url = "\(meetingd.baseURL)/v1/callbacks/agencies/shuiguohu%2Fcity_management/action-items"
        func send(_ body: String, id: String = "msg_\(UUID().uuidString)", at timestamp: Int = Int(Date().timeIntervalSince1970), secret: String) async throws
            -> HTTPResponse
        {
            let bytes = Array(body.utf8)
            return try await Mesh.http.send(
                HTTPRequest(
                    method: "POST", url: url,
                    headers: [
                        ("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
                        ("webhook-signature", WebhookSignature.sign(id: id, timestamp: timestamp, body: bytes, secret: secret)!),
                    ], body: bytes))
        }
        let done = #"{"action_item_id":"\#(item)","evidence":"已清运，加装垃圾桶 4 个"}"#
        #expect(try await send(done, secret: WebhookSignature.newSecret()).status == 401, "a forged signature")
        #expect(try await send(done, at: Int(Date().timeIntervalSince1970) - 600, secret: secret).status == 401, "a stale timestamp")
        let accepted = try await send(done, id: "msg_done", secret: secret)
        #expect(accepted.status == 200, "\(accepted.text)")
        #expect(try Mesh.json(accepted)["state"] as? String == "done")
        #expect(try await send(done, id: "msg_done", secret: secret).status == 409, "a replayed id")
        #expect(try await TestSupport.eventually { try await received().contains { $0["type"] as? String == "action_item.completed" } })
        _ = try await receiver.terminate()
        _ = try await meetingd.terminate()
    }
}

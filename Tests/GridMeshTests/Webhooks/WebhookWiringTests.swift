import Foundation
import GridCore
import Postgres
import Testing

@Suite("Webhooks in the mesh: an agency gets its own dispatches; a failing endpoint is disabled and its owner told")
struct WebhookWiringTests {
    @Test func anAgencysEndpointReceivesOnlyTheFindingsDispatchedToIt() async throws {
        let f = try await WebhookFixture()
        let endpoint = try await f.subscribe(["finding.dispatched"], path: "city-management", agency: "shuiguohu/city_management")
        let mine = try await f.submit()
        let theirs = try await f.submit()
        try await f.patrol.step(f.patrol.officer, mine, #"{"action":"triage"}"#)
        try await f.patrol.step(f.patrol.officer, mine, #"{"action":"dispatch"}"#)
        try await f.patrol.step(f.patrol.officer, theirs, #"{"action":"triage"}"#)
        try await f.patrol.step(f.patrol.officer, theirs, #"{"action":"dispatch","agency_code":"shuiguohu/police_station"}"#)
        #expect(try await TestSupport.eventually { try await f.received().count == 1 })
        try await Task.sleep(for: .milliseconds(700))
        let received = try await f.received()
        #expect(received.count == 1)
        let body = try #require(received.first?["body"] as? String)
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let data = try #require(envelope["data"] as? [String: Any])
        #expect(envelope["type"] as? String == "finding.dispatched" && (data["finding_id"] as? String)?.lowercased() == mine)
        #expect(data["agency_code"] as? String == "shuiguohu/city_management" && data["deadline_at"] != nil)

        // a replay of the whole range sends its own dispatch again, and still not the police station's
        let firstDelivered = try await f.deliveries(endpoint).first?["delivered_at"] as? String
        let range = #"{"from":"\#(TestClock.rfc3339(-600))","to":"\#(TestClock.rfc3339(60))"}"#
        let replay = try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/replay", token: f.admin, json: range)
        #expect(try Mesh.json(replay)["queued"] as? Int == 1, "\(replay.text)")
        // (the receiver drops the repeat by its webhook-id; the endpoint's delivery shows it went again)
        let pool = f.patrol.database.pool(size: 1)
        defer { pool.close() }
        let sentTwice = try await TestSupport.eventually {
            let deliveries = try await f.deliveries(endpoint)
            return deliveries.count == 1 && deliveries.first?["state"] as? String == "delivered"
                && deliveries.first?["delivered_at"] as? String != firstDelivered
        }
        let deliveries = try await f.deliveries(endpoint)
        #expect(sentTwice, "\(deliveries)")
        let sentFor = try await pool.query(
            "SELECT DISTINCT lower(e.payload->>'finding_id') FROM mesh.webhook_deliveries d JOIN mesh.events e ON e.id = d.event_id WHERE d.endpoint_id = $1",
            [UUID(uuidString: endpoint)!]
        ).map { try $0.decode(String.self, at: 0) }
        #expect(sentFor == [mine], "\(sentFor)")
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func anEndpointFailingPersistentlyIsDisabledAndItsOwnerTold() async throws {
        let f = try await WebhookFixture(extra: ["GRIDMESH_WEBHOOK_DISABLE_AFTER_MS": "2000"])
        let endpoint = try await f.subscribe(["finding.submitted"])
        try await f.control(#"{"status":503}"#)
        try await f.submit()
        let pool = f.patrol.database.pool(size: 1)
        defer { pool.close() }
        #expect(
            try await TestSupport.eventually(timeout: .seconds(20)) {
                try await pool.query("SELECT state FROM mesh.webhook_endpoints").first!.decode(String.self, at: 0) == "disabled"
            })
        let reason = try await pool.query("SELECT disabled_reason FROM mesh.webhook_endpoints").first!.decode(String.self, at: 0)
        #expect(reason.hasPrefix("failing since"))
        let told = try await pool.query("SELECT payload->>'endpoint_id' FROM mesh.events WHERE topic = 'webhook.endpoint_disabled'").map {
            try $0.decode(String.self, at: 0).lowercased()
        }
        #expect(told == [endpoint])
        #expect(try await f.deliveries(endpoint).first?["state"] as? String == "pending", "the delivery waits for a resume")
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func aRotatedSecretSignsAlongsideTheOldOneDuringTheOverlap() async throws {
        let f = try await WebhookFixture()
        let endpoint = try await f.subscribe(["finding.submitted"])
        let old = try await f.storedSecret()
        let rotated = try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/rotate-secret", token: f.admin, json: #"{"overlap_hours":1}"#)
        let new = try #require(try Mesh.json(rotated)["secret"] as? String)
        #expect(new != old && new.hasPrefix("whsec_"))
        // a receiver still on the old secret and one already on the new both accept
        try await f.control(#"{"secrets":["\#(old)"]}"#)
        try await f.submit()
        #expect(try await TestSupport.eventually { try await f.received().count == 1 })
        try await f.control(#"{"secrets":["\#(new)"]}"#)
        try await f.submit()
        #expect(try await TestSupport.eventually { try await f.received().count == 2 })
        // with no overlap left, the old secret no longer signs
        _ = try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/rotate-secret", token: f.admin, json: #"{"overlap_hours":0}"#)
        try await f.control(#"{"secrets":["\#(new)"]}"#)
        try await f.submit()
        #expect(
            try await TestSupport.eventually { try await f.deliveries(endpoint).contains { $0["last_status"] as? Int == 401 } },
            "signed only with the newest secret, which this receiver does not know")
        #expect(try await f.received().count == 2)
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func gridctlManagesEndpointsAsTheAPIDoes() async throws {
        let f = try await WebhookFixture()
        let url = "\(f.receiver.baseURL)/hooks/district-platform"
        let (created, output) = try await Mesh.gridctl(
            f.patrol.database, ["webhooks", "create", "--owner", "patrold", "--url", url, "--topics", "hotspot.detected", "--allow-host", "127.0.0.1"])
        #expect(created == 0, "\(output)")
        #expect(output.contains("secret: whsec_"))
        let (refused, refusal) = try await Mesh.gridctl(
            f.patrol.database, ["webhooks", "create", "--owner", "patrold", "--url", "http://169.254.169.254/", "--topics", "*"])
        #expect(refused != 0 && refusal.contains("refused"))
        let listed = try await Mesh.request("GET", "\(f.url)/v1/webhooks", token: f.admin)
        let endpoints = (try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]]) ?? []
        let id = try #require(endpoints.first { $0["url"] as? String == url }?["id"] as? String)
        let (paused, _) = try await Mesh.gridctl(f.patrol.database, ["webhooks", "set", "--owner", "patrold", "pause", id])
        #expect(paused == 0)
        let (_, list) = try await Mesh.gridctl(f.patrol.database, ["webhooks", "list", "--owner", "patrold"])
        #expect(list.contains(#""state" : "paused""#))
        let (deleted, _) = try await Mesh.gridctl(f.patrol.database, ["webhooks", "set", "--owner", "patrold", "delete", id])
        #expect(deleted == 0)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(id)/resume", token: f.admin).status == 404)
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }
}

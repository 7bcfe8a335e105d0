import Foundation
import GridCore
import Postgres
import Testing
import Webhooks

@Suite("Webhooks out: signed deliveries, retries, Retry-After, 410, redirects, the SSRF guard")
struct WebhookDeliveryTests {
    @Test func aReceiverDownForAWhileEndsWithEveryEventOnce() async throws {
        var f = try await WebhookFixture()
        let endpoint = try await f.subscribe(["finding.submitted"])
        for _ in 0..<3 { try await f.submit() }
        #expect(try await TestSupport.eventually { try await f.received().count == 3 })

        // the receiver goes down; five more findings wait and are retried
        let port = f.receiver.port
        _ = try await f.receiver.terminate()
        for _ in 0..<5 { try await f.submit() }
        #expect(
            try await TestSupport.eventually {
                try await f.deliveries(endpoint).filter { $0["state"] as? String == "pending" && ($0["attempts"] as? Int ?? 0) >= 1 }.count == 5
            })
        f.receiver = try await WebhookFixture.startReceiver(port: port, recordFile: f.recordFile)
        try await f.control(#"{"secrets":["\#(try await f.storedSecret())"]}"#)
        #expect(try await TestSupport.eventually(timeout: .seconds(20)) { try await f.received().count == 8 })

        // a replay of one event arrives again and is dropped as a duplicate: still each once
        let first = try #require(try await f.received().first?["id"] as? String)
        let replay = try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/replay", token: f.admin, json: #"{"event_id":"\#(first)"}"#)
        #expect(try Mesh.json(replay)["queued"] as? Int == 1)
        #expect(
            try await TestSupport.eventually {
                let log = try await f.deliveries(endpoint)
                return log.first { ($0["event_id"] as? String)?.lowercased() == first }?["attempts"] as? Int == 1
                    && log.allSatisfy { $0["state"] as? String == "delivered" }
            })
        // the log keeps both deliveries of it: the first, and the replay's own round
        let replayed = try await f.deliveries(endpoint).first { ($0["event_id"] as? String)?.lowercased() == first }
        let rounds = ((replayed?["attempt_log"] as? [[String: Any]]) ?? []).map { "\($0["round"] as? Int ?? -1).\($0["attempt"] as? Int ?? -1)" }
        #expect(rounds == ["0.1", "1.1"], "\(rounds)")
        let received = try await f.received()
        #expect(received.count == 8 && Set(received.compactMap { $0["id"] as? String }).count == 8)
        #expect(received.allSatisfy { $0["type"] as? String == "finding.submitted" })
        let log = try await f.deliveries(endpoint)
        let retried = log.filter { ($0["attempts"] as? Int ?? 0) > 1 }
        #expect(retried.count == 5 && retried.allSatisfy { (($0["attempt_log"] as? [[String: Any]]) ?? []).first?["error"] != nil })
        #expect(log.allSatisfy { $0["last_latency_ms"] != nil })
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func fiveHundredsRetryRetryAfterIsHonouredAndGoneDisablesTheEndpoint() async throws {
        let f = try await WebhookFixture()
        let endpoint = try await f.subscribe(["finding.submitted"])
        func attempts(_ finding: String) async throws -> [[String: Any]] {
            let pool = f.patrol.database.pool(size: 1)
            defer { pool.close() }
            let id = try await pool.query(
                "SELECT d.id FROM mesh.webhook_deliveries d JOIN mesh.events e ON e.id = d.event_id WHERE lower(e.payload->>'finding_id') = $1", [finding]
            )
            .first?.decode(Int.self, at: 0)
            return (try await f.deliveries(endpoint).first { $0["id"] as? Int == id }?["attempt_log"] as? [[String: Any]]) ?? []
        }

        // 500 once: retried on the schedule, then delivered
        try await f.control(#"{"status":500,"times":1}"#)
        let a = try await f.submit()
        #expect(try await TestSupport.eventually { try await attempts(a).count == 2 })
        #expect(try await attempts(a).map { $0["status"] as? Int } == [500, 200])

        // 429 with Retry-After: 3 — the next attempt waits for it, not for the 1-second schedule
        try await f.control(#"{"status":429,"retry_after":"3","times":1}"#)
        let b = try await f.submit()
        #expect(try await TestSupport.eventually(timeout: .seconds(20)) { try await attempts(b).count == 2 })
        let log = try await attempts(b)
        #expect(log.map { $0["status"] as? Int } == [429, 200])
        let gap = try #require(RFC3339.parse(log[1]["at"] as! String)).timeIntervalSince(try #require(RFC3339.parse(log[0]["at"] as! String)))
        #expect(gap >= 2.5, "waited \(gap) s")

        // 410 Gone: the endpoint is disabled, its owner told; deliveries wait until it is resumed
        try await f.control(#"{"status":410}"#)
        let c = try await f.submit()
        #expect(
            try await TestSupport.eventually {
                return (try await attempts(c)).first?["status"] as? Int == 410
            })
        let listed = try await Mesh.request("GET", "\(f.url)/v1/webhooks", token: f.admin)
        let state = (try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])?.first
        #expect(state?["state"] as? String == "disabled" && (state?["disabled_reason"] as? String)?.contains("410") == true)
        let pool = f.patrol.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.events WHERE topic = 'webhook.endpoint_disabled'").first!.decode(Int.self, at: 0) == 1)
        try await f.control(#"{"status":0}"#)
        let d = try await f.submit()
        try await Task.sleep(for: .seconds(1))
        #expect(try await attempts(d).isEmpty, "a disabled endpoint gets nothing")
        #expect(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/resume", token: f.admin).status == 200)
        #expect(try await TestSupport.eventually { try await f.received().count == 3 }, "the delivery that met the 410 goes out on resume")
        // what was published while it was disabled is recovered by replaying the time range
        let range = #"{"from":"\#(TestClock.rfc3339(-600))","to":"\#(TestClock.rfc3339(60))"}"#
        #expect(try Mesh.json(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/replay", token: f.admin, json: range))["queued"] as? Int == 4)
        #expect(try await TestSupport.eventually { try await f.received().count == 4 })
        #expect(try await TestSupport.eventually { try await attempts(d).count == 1 })
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func aRedirectIsNotFollowed() async throws {
        let f = try await WebhookFixture()
        let elsewhere = try await WebhookFixture.startReceiver(
            port: 0, recordFile: TestScratch.path("elsewhere-\(UUID().uuidString.prefix(8)).jsonl"))
        let endpoint = try await f.subscribe(["finding.submitted"])
        try await f.control(#"{"status":302,"location":"\#(elsewhere.baseURL)/hooks/x","times":1}"#)
        try await f.submit()
        #expect(try await TestSupport.eventually { try await f.received().count == 1 })
        var log: [[String: Any]] = []
        #expect(
            try await TestSupport.eventually {
                log = (try await f.deliveries(endpoint).first?["attempt_log"] as? [[String: Any]]) ?? []
                return log.count == 2
            })
        #expect(log.map { $0["status"] as? Int } == [302, 200])
        #expect(try await f.received(from: elsewhere).isEmpty)
        _ = try await elsewhere.terminate()
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }

    @Test func internalAddressesAreRefusedUnlessAllowListed() async throws {
        let guarded = try await PatrolFixture()
        let admin = try await TestKeys.token("admin", .admin, "district")
        for url in [
            "http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/hook", "http://[::1]:9/hook",
            "http://localhost:9/hook", "ftp://example.org/hook",
        ] {
            let body = #"{"id":"\#(UUID().uuidString)","url":"\#(url)","topics":["finding.*"]}"#
            let response = try await Mesh.request("POST", "\(guarded.url)/v1/webhooks", token: admin, json: body)
            #expect(response.status == 422, "\(url) -> \(response.status)")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        let bad = try await Mesh.request(
            "POST", "\(guarded.url)/v1/webhooks", token: admin, json: #"{"id":"\#(UUID().uuidString)","url":"http://example.org/h","topics":["Finding!"]}"#)
        #expect(bad.status == 422)
        let notAdmin = try await Mesh.request("GET", "\(guarded.url)/v1/webhooks", token: guarded.officer)
        #expect(notAdmin.status == 403)
        let pool = guarded.database.pool(size: 1)
        defer { pool.close() }
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.webhook_endpoints").first!.decode(Int.self, at: 0) == 0)

        // an endpoint created (say by gridctl) before the allow-list changed is still checked at delivery
        let early = UUID()
        try await pool.query(
            """
            INSERT INTO mesh.webhook_endpoints (id, owner, url, topics, secret, created_by, created_at, updated_at)
            VALUES ($1, 'patrold', 'http://127.0.0.1:9/hook', '{finding.submitted}', $2, 'test', now(), now())
            """, [early, try TestKeys.secrets.seal(WebhookSignature.newSecret(), for: "endpoint:\(early)")])
        _ = try await guarded.submit(guarded.zhangmin)
        #expect(
            try await TestSupport.eventually {
                (try await pool.query("SELECT last_error FROM mesh.webhook_deliveries").first?.decode(String?.self, at: 0) ?? "")?.contains("SSRF") == true
            })
        _ = try await guarded.patrold.terminate()
    }
}

import Foundation
import GridCore
import Testing

@Suite("Webhooks: a paused endpoint holds its deliveries, a deleted one is gone")
struct WebhookLifecycleTests {
    @Test func pauseHoldsResumeSendsAndDeleteRemovesTheEndpointAndItsLog() async throws {
        let f = try await WebhookFixture()
        defer { f.patrol.database.drop() }
        let endpoint = try await f.subscribe(["finding.submitted"])
        #expect(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/pause", token: f.patrol.officer).status == 403, "administrators only")
        #expect(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/pause", token: f.admin).status == 200)
        let held = try await f.submit()
        let pool = f.patrol.database.pool(size: 1)
        defer { pool.close() }
        func state() async throws -> String? {
            try await pool.query(
                """
                SELECT d.state FROM mesh.webhook_deliveries d JOIN mesh.events e ON e.id = d.event_id WHERE lower(e.payload->>'finding_id') = $1
                """, [held]
            ).first?.decode(String.self, at: 0)
        }
        // the delivery exists and waits: a paused endpoint is never attempted
        #expect(try await TestSupport.eventually { try await state() == "pending" })
        #expect(try await f.received().isEmpty)
        #expect(try await Mesh.request("POST", "\(f.url)/v1/webhooks/\(endpoint)/resume", token: f.admin).status == 200)
        #expect(try await TestSupport.eventually { try await f.received().count == 1 })
        #expect(try await TestSupport.eventually { try await state() == "delivered" })

        #expect(try await Mesh.request("DELETE", "\(f.url)/v1/webhooks/\(endpoint)", token: f.patrol.officer).status == 403)
        let deleted = try await Mesh.request("DELETE", "\(f.url)/v1/webhooks/\(endpoint)", token: f.admin)
        #expect((200...204).contains(deleted.status), "\(deleted.text)")
        #expect(try await Mesh.request("GET", "\(f.url)/v1/webhooks/\(endpoint)/deliveries", token: f.admin).status == 404)
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.webhook_endpoints").first!.decode(Int.self, at: 0) == 0)
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.webhook_deliveries").first!.decode(Int.self, at: 0) == 0)
        try await f.submit()
        #expect(try await pool.query("SELECT count(*)::int FROM mesh.webhook_deliveries").first!.decode(Int.self, at: 0) == 0, "nothing fans out to it")
        _ = try await f.receiver.terminate()
        _ = try await f.patrol.patrold.terminate()
    }
}

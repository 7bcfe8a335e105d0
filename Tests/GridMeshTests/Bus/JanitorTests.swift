import Daemon
import Foundation
import Logging
import Postgres
import Testing
import Webhooks

@Suite("The janitor: each daemon prunes its own finished work")
struct JanitorTests {
    @Test func oldFinishedWorkOfOneDaemonGoesAndEverythingElseStays() async throws {
        let database = try await TestDatabase.make()
        let admin = database.pool(size: 1)
        defer { admin.close() }
        try await admin.transaction { connection in
            try connection.execute(
                """
                INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ('patrold', 'janitor.*'), ('meetingd', 'janitor.*')
                ON CONFLICT (subscriber, topic_pattern) DO NOTHING
                """)
            func event() throws -> Int {
                try connection.query(
                    "INSERT INTO mesh.events (event_id, topic, source, occurred_at, payload) VALUES (gen_random_uuid(), 'janitor.test', 'patrold', now(), '{}') RETURNING id"
                ).first!.decode(Int.self, at: 0)
            }
            // deliveries: (subscriber, state, finished days ago)
            for (subscriber, state, age) in [
                ("patrold", "done", 40), ("patrold", "done", 1), ("patrold", "dead", 40), ("patrold", "pending", 40), ("meetingd", "done", 40),
            ] {
                try connection.execute(
                    """
                    INSERT INTO mesh.deliveries (event_id, subscription_id, subscriber, state, finished_at)
                    SELECT $1, id, $2, $3, now() - $4 * interval '1 day' FROM mesh.subscriptions WHERE subscriber = $2 AND topic_pattern = 'janitor.*'
                    """, [try event(), subscriber, state, age])
            }
            for (subscriber, age) in [("patrold", 40), ("patrold", 1), ("meetingd", 40)] {
                try connection.execute(
                    "INSERT INTO mesh.handled (subscriber, event_id, handled_at) VALUES ($1, gen_random_uuid(), now() - $2 * interval '1 day')",
                    [subscriber, age])
                try connection.execute(
                    "INSERT INTO mesh.inbound_webhooks (receiver, webhook_id, received_at) VALUES ($1, $2, now() - $3 * interval '1 day')",
                    [subscriber, "msg_\(UUID().uuidString)", age])
            }
            let endpoint = UUID()
            try connection.execute(
                """
                INSERT INTO mesh.webhook_endpoints (id, owner, url, topics, secret, created_by, created_at, updated_at)
                VALUES ($1, 'patrold', 'https://example.org/hook', '{janitor.*}', $2, 'test', now(), now())
                """, [endpoint, try TestKeys.secrets.seal(WebhookSignature.newSecret(), for: "endpoint:\(endpoint)")])
            for (state, age) in [("delivered", 40), ("delivered", 1), ("pending", 40)] {
                let delivery = try connection.query(
                    """
                    INSERT INTO mesh.webhook_deliveries (endpoint_id, owner, event_id, state, delivered_at) VALUES ($1, 'patrold', $2, $3, now() - $4 * interval '1 day')
                    RETURNING id
                    """, [endpoint, try event(), state, age]
                ).first!.decode(Int.self, at: 0)
                try connection.execute(
                    "INSERT INTO mesh.webhook_attempts (delivery_id, attempt, owner, at, status, latency_ms) VALUES ($1, 1, 'patrold', now(), 200, 3)",
                    [delivery])
            }
        }

        let patrold = database.pool(user: "patrold", size: 1)
        defer { patrold.close() }
        let janitor = MeshJanitor(
            pool: patrold, owner: "patrold", keep: .seconds(30 * 86400), interval: .seconds(3600), batch: 1, logger: Logger(label: "test"))
        #expect(try await janitor.prune() == 4)
        #expect(try await janitor.prune() == 0, "a second pass finds nothing")

        func count(_ sql: String) async throws -> Int { try await admin.query(sql).first!.decode(Int.self, at: 0) }
        #expect(try await count("SELECT count(*)::int FROM mesh.deliveries WHERE subscriber = 'patrold'") == 3, "recent done, dead and pending stay")
        #expect(try await count("SELECT count(*)::int FROM mesh.deliveries WHERE subscriber = 'patrold' AND state = 'dead'") == 1)
        #expect(try await count("SELECT count(*)::int FROM mesh.deliveries WHERE subscriber = 'meetingd'") == 1, "another daemon's work is not touched")
        #expect(try await count("SELECT count(*)::int FROM mesh.handled WHERE subscriber = 'patrold'") == 1)
        #expect(try await count("SELECT count(*)::int FROM mesh.handled WHERE subscriber = 'meetingd'") == 1)
        #expect(try await count("SELECT count(*)::int FROM mesh.webhook_deliveries") == 2)
        #expect(try await count("SELECT count(*)::int FROM mesh.webhook_attempts") == 2, "the attempts of a pruned delivery go with it")
        #expect(try await count("SELECT count(*)::int FROM mesh.inbound_webhooks") == 2)

        // gridctl then prunes old events no delivery refers to any more
        try await admin.query("UPDATE mesh.events SET recorded_at = now() - interval '100 days'")
        let referenced = try await count(
            "SELECT count(*)::int FROM mesh.events e WHERE EXISTS (SELECT 1 FROM mesh.deliveries d WHERE d.event_id = e.id) OR EXISTS (SELECT 1 FROM mesh.webhook_deliveries w WHERE w.event_id = e.id)"
        )
        let total = try await count("SELECT count(*)::int FROM mesh.events")
        #expect(total - referenced == 2, "the events of the two pruned deliveries")
        let (status, output) = try await Mesh.gridctl(database, ["events", "prune", "--days", "90"])
        #expect(status == 0 && output.contains("pruned 2 events"), "\(output)")
        #expect(try await count("SELECT count(*)::int FROM mesh.events") == referenced)
    }
}

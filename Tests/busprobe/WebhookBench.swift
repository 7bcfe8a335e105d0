import ArgumentParser
import Crypto
import EventBus
import Foundation
import GridCore
import HTTPClient
import Logging
import Postgres
import Webhooks

/// `busprobe webhooks`: the webhook dispatcher as built, against a running webhook-receiver, for
/// scripts/bench webhooks — deliveries per second from a backlog, or commit-to-received latency at
/// a fixed event rate.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhooks", abstract: "Measure webhook delivery: throughput or latency.")

    enum Mode: String, ExpressibleByArgument { case throughput, latency }

    @Option var database: String = ""
    @Option var mode: Mode = .throughput
    @Option(help: "The receiver's base URL.") var receiver: String
    @Option(help: "The endpoint's whsec_ secret (the receiver must know it).") var secret: String
    @Option(help: "Deliveries in the backlog, for throughput.") var count: Int = 20000
    @Option(help: "Events per second, for latency.") var rate: Int = 200
    @Option var seconds: Int = 10
    @Option(help: "Connections to the receiver.") var connections: Int = 8

    func run() async throws {
        let pool = PostgresPool(.init(conninfo: database, size: 4))
        defer { pool.close() }
        // the secret sealed as a daemon stores it, under a key of this run
        let sealer = SecretSealer(key: SymmetricKey(size: .bits256))
        let endpoint = UUID()
        let sealed = try sealer.seal(secret, for: "endpoint:\(endpoint)")
        try await pool.transaction { [receiver] connection in
            try connection.execute("DELETE FROM mesh.webhook_endpoints WHERE owner = 'bench'")
            try connection.execute(
                """
                INSERT INTO mesh.webhook_endpoints (id, owner, url, topics, secret, created_by, created_at, updated_at)
                VALUES ($3, 'bench', $1, '{bench.*}', $2, 'bench', now(), now())
                """, ["\(receiver)/hooks/bench", sealed, endpoint])
        }
        let listener = PostgresListener(.init(conninfo: database, channels: [webhookChannel(for: "bench")]))
        listener.start()
        defer { listener.shutdown() }
        let bus = EventBus(source: "bench", listener: listener)
        let client = MultiClient(limits: .init(totalConnections: connections, connectionsPerHost: connections), name: "bench-webhooks")
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let dispatcher = WebhookDispatcher(
            owner: "bench", pool: pool, listener: listener, bus: bus, client: client,
            policy: AddressPolicy(allowedHosts: [URL(string: receiver)?.host ?? "127.0.0.1"]), sealer: sealer,
            settings: .init(batchSize: 128, pollInterval: .seconds(1)), logger: logger)
        switch mode {
        case .throughput: try await throughput(pool, dispatcher)
        case .latency: try await latency(pool, bus, listener, dispatcher)
        }
        client.shutdown()
    }

    /// A backlog of `count` deliveries, then the dispatcher drains it as fast as it can.
    func throughput(_ pool: PostgresPool, _ dispatcher: WebhookDispatcher) async throws {
        try await pool.transaction { [count] connection in
            try connection.execute(
                """
                WITH events AS (
                    INSERT INTO mesh.events (event_id, topic, source, occurred_at, payload)
                    SELECT gen_random_uuid(), 'bench.tick', 'bench', now(), jsonb_build_object('n', n) FROM generate_series(1, $1) n RETURNING id
                )
                INSERT INTO mesh.webhook_deliveries (endpoint_id, owner, event_id)
                SELECT w.id, 'bench', events.id FROM events, mesh.webhook_endpoints w WHERE w.owner = 'bench'
                """, [count])
        }
        let start = ContinuousClock.now
        while true {
            await dispatcher.drain()
            let left = try await pool.query("SELECT count(*)::int FROM mesh.webhook_deliveries WHERE owner = 'bench' AND state = 'pending'").first!.decode(
                Int.self, at: 0)
            if left == 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let failed = try await pool.query("SELECT count(*)::int FROM mesh.webhook_attempts WHERE owner = 'bench' AND error IS NOT NULL").first!.decode(
            Int.self, at: 0)
        print(String(format: "deliveries_per_s=%.1f deliveries=%d failed_attempts=%d", Double(count) / seconds, count, failed))
    }

    /// Publishes `rate` events a second through the bus; the dispatcher, woken by the hint, delivers
    /// them; latency is from each commit returning to the receiver recording it.
    func latency(_ pool: PostgresPool, _ bus: EventBus, _ listener: PostgresListener, _ dispatcher: WebhookDispatcher) async throws {
        let dispatching = Task { try await dispatcher.run() }
        while !listener.isConnected { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(300))
        let commits = CommitTimes()
        let total = rate * seconds
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                let due = start + interval * index
                if due > ContinuousClock.now { try await Task.sleep(until: due) }
                group.addTask {
                    let id = try await pool.transaction { connection in try bus.publish("bench.tick", ["n": index], on: connection).id }
                    commits.add(id.uuidString.lowercased(), Date())
                }
                if index % 64 == 63 { for try await _ in group.prefix(32) {} }
            }
            try await group.waitForAll()
        }
        let client = HTTPClient(threads: 1)
        var received: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let response = try await client.send(HTTPRequest(url: "\(receiver)/received"))
            received = (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
            if received.count >= total { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        dispatching.cancel()
        let times = commits.all()
        let latencies = received.compactMap { record -> Double? in
            guard let id = record["id"] as? String, let at = (record["received_at"] as? String).flatMap(RFC3339.parse), let committed = times[id] else {
                return nil
            }
            return max(0, at.timeIntervalSince(committed))
        }.sorted()
        guard !latencies.isEmpty else { throw ValidationError("nothing was received") }
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        print(
            String(
                format: "events=%d received=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f", total, latencies.count, percentile(0.5), percentile(0.99),
                latencies.last! * 1000))
    }
}

final class CommitTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [String: Date] = [:]
    func add(_ id: String, _ at: Date) { lock.withLock { times[id] = at } }
    func all() -> [String: Date] { lock.withLock { times } }
}

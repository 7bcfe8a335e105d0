import ArgumentParser
import EventBus
import Foundation
import GridCore
import Logging
import Postgres

/// `busprobe bench`: the bus as built, measured for scripts/bench.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the bus: publish throughput, or commit-to-handler latency at a fixed rate.")

    enum Mode: String, ExpressibleByArgument { case publish, latency }

    @Option var database: String = ""
    @Option var mode: Mode = .publish
    @Option var clients: Int = 8
    @Option var seconds: Int = 10
    @Option(help: "Events per second, for latency.") var rate: Int = 1000

    func run() async throws {
        switch mode {
        case .publish: try await publish()
        case .latency: try await latency()
        }
    }

    /// The same transaction as the pgbench baseline (a finding, its event, three deliveries),
    /// through the bus with coalesced hints, from `clients` concurrent tasks.
    func publish() async throws {
        let pool = PostgresPool(.init(conninfo: database, size: clients))
        let listener = PostgresListener(.init(conninfo: database, channels: []))
        listener.start()
        let bus = EventBus(source: "bench", listener: listener)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await pool.transaction { connection in
                            let id = UUID.v7()
                            try connection.execute(
                                """
                                INSERT INTO patrol.findings (id, grid_code, category, description, observed_at, reporter)
                                VALUES ($1, 'dongting-03', 'environmental_sanitation', 'bench', now(), 'bench')
                                """, [id])
                            try bus.publish("finding.submitted", ["finding_id": id.uuidString.lowercased(), "grid_code": "dongting-03"], on: connection)
                        }
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "tps=%.1f transactions=%d", Double(total) / seconds, total))
        listener.shutdown()
        pool.close()
    }

    /// Publishes `rate` events a second and measures, for each, the time from its commit returning
    /// to its handler running in a consumer woken by the hint.
    func latency() async throws {
        // The publisher stands for other daemons: its own pool, so the consumer never queues behind it.
        let pool = PostgresPool(.init(conninfo: database, size: 4))
        let consumerPool = PostgresPool(.init(conninfo: database, size: 2))
        let listener = PostgresListener(.init(conninfo: database, channels: [wakeChannel(for: "latency")]))
        listener.start()
        let bus = EventBus(source: "bench", listener: listener)
        let times = Timings()
        var handlers = EventHandlers()
        handlers.on("probe.tick", from: "bench") { event, _ in times.handled(event.id) }
        let consumer = BusConsumer(
            pool: consumerPool, listener: listener, handlers: handlers, configuration: .init(subscriber: "latency", pollInterval: .seconds(2)))
        let consuming = Task { try await consumer.run() }
        while !listener.isConnected { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))

        let count = rate * seconds
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let due = start + interval * index
                if due > ContinuousClock.now { try await Task.sleep(until: due) }
                group.addTask {
                    let id = try await pool.transaction { connection in
                        try bus.publish("probe.tick", ["n": index], on: connection).id
                    }
                    times.committed(id)
                }
                if index % 64 == 63 { for try await _ in group.prefix(32) {} }
            }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while times.count < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        consuming.cancel()
        let latencies = times.latencies().sorted()
        guard !latencies.isEmpty else { throw ValidationError("no event was handled") }
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        print(
            String(
                format: "events=%d handled=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f", count, latencies.count, percentile(0.5), percentile(0.99),
                latencies.last! * 1000))
        listener.shutdown()
        pool.close()
    }
}

/// Commit and handler times per event, from many threads.
final class Timings: @unchecked Sendable {
    private let lock = NSLock()
    private var commits: [UUID: UInt64] = [:]
    private var handles: [UUID: UInt64] = [:]

    func committed(_ id: UUID) { lock.withLock { commits[id] = DispatchTime.now().uptimeNanoseconds } }
    func handled(_ id: UUID) { lock.withLock { handles[id] = DispatchTime.now().uptimeNanoseconds } }
    var count: Int { lock.withLock { handles.count } }

    /// Seconds from commit to handler; a handler that ran before the publisher saw its commit return counts as 0.
    func latencies() -> [Double] {
        lock.withLock {
            handles.compactMap { id, handled in
                commits[id].map { handled > $0 ? Double(handled - $0) / 1e9 : 0 }
            }
        }
    }
}

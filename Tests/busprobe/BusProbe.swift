import ArgumentParser
import EventBus
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// A stand-alone consumer of the event bus, for tests that need several real processes claiming
/// one queue, and for `scripts/bench bus`. Its handler appends to `probe_log` with no uniqueness,
/// so a delivery handled twice would show as two rows.
@main
struct BusProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "busprobe", subcommands: [Consume.self, Bench.self, WebhookBench.self, TokenBench.self])
}

struct Consume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Consume `probe.*` events as SUBSCRIBER until SIGTERM.")

    @Option var database: String = ""
    @Option var subscriber: String = "probe"
    @Option var name: String = "consumer"
    @Option(help: "Lease length in milliseconds.") var leaseMs: Int = 30_000
    @Option(help: "Fallback poll in milliseconds.") var pollMs: Int = 2_000
    @Flag(help: "Block forever inside the first handler (to be killed mid-lease).") var hangOnFirst = false
    @Option(help: "Milliseconds each handler takes.") var handleMs: Int = 0

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let pool = PostgresPool(.init(conninfo: database, size: 2))
        let listener = PostgresListener(.init(conninfo: database, channels: [wakeChannel(for: subscriber)]))
        listener.start()
        let first = FirstFlag()
        var handlers = EventHandlers()
        let name = name
        let hang = hangOnFirst
        let pause = UInt32(handleMs * 1000)
        handlers.on("probe.tick", from: "test") { event, connection in
            if hang && first.take() {
                FileHandle.standardOutput.write(Data("hanging\n".utf8))
                while true { sleep(60) }
            }
            if pause > 0 { usleep(pause) }
            try connection.execute("INSERT INTO probe_log (event_id, consumer) VALUES ($1, $2)", [event.id, name])
        }
        let consumer = BusConsumer(
            pool: pool, listener: listener, handlers: handlers,
            configuration: .init(subscriber: subscriber, leaseDuration: .milliseconds(Int64(leaseMs)), pollInterval: .milliseconds(Int64(pollMs))))
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        let group = ServiceGroup(services: [consumer], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "busprobe"))
        try await group.run()
        listener.shutdown()
        pool.close()
    }
}

final class FirstFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false
    func take() -> Bool {
        lock.withLock {
            defer { taken = true }
            return !taken
        }
    }
}

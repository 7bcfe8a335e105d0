import EventBus
import Foundation
import Postgres
import Testing

@Suite("LISTEN connection")
struct ListenerTests {
    @Test func aKilledListenerReconnectsAndTheConsumerCatchesUpWithNothingLost() async throws {
        let fixture = try await BusFixture()
        let listener = PostgresListener(.init(conninfo: fixture.database.conninfo(), channels: [wakeChannel(for: "probe")], initialBackoff: .milliseconds(50)))
        listener.start()
        defer { listener.shutdown() }
        var handlers = EventHandlers()
        handlers.on("probe.tick", from: "test") { event, connection in
            try connection.execute("INSERT INTO probe_log (event_id, consumer) VALUES ($1, 'in-process')", [event.id])
        }
        // A poll so slow it cannot be what finds the events: only hints and the reconnect catch-up can.
        let consumer = BusConsumer(
            pool: fixture.pool, listener: listener, handlers: handlers, configuration: .init(subscriber: "probe", pollInterval: .seconds(600)))
        let running = Task { try await consumer.run() }
        defer { running.cancel() }
        #expect(try await TestSupport.eventually { listener.isConnected })

        let bus = EventBus(source: "test", listener: listener)
        try await fixture.publish(20, bus: bus)
        #expect(try await TestSupport.eventually { try await fixture.logged().rows == 20 })

        let oldPID = try #require(listener.backendPID)
        let admin = try fixture.database.connect()
        try admin.execute("SELECT pg_terminate_backend($1)", [oldPID])
        // Published while the listener is down or reconnecting: their hints are lost.
        try await fixture.publish(30, bus: bus)
        #expect(try await TestSupport.eventually { listener.backendPID.map { $0 != oldPID } ?? false })
        #expect(try await TestSupport.eventually { try await fixture.logged().rows == 50 })
        let logged = try await fixture.logged()
        #expect(logged.distinct == 50)
        #expect(try await fixture.deliveryStates() == ["done": 50])
    }

    @Test func notificationsReachEverySubscriberAndShutdownEndsTheirStreams() async throws {
        let database = try await TestDatabase.make()
        let listener = PostgresListener(.init(conninfo: database.conninfo(), channels: ["alpha", "beta"]))
        listener.start()
        let first = listener.events()
        let second = listener.events()
        #expect(try await TestSupport.eventually { listener.isConnected })
        let sender = try database.connect()
        try sender.execute(script: "NOTIFY alpha, 'one'; NOTIFY beta, 'two'; NOTIFY gamma, 'ignored'")
        for stream in [first, second] {
            let seen = try await TestSupport.within {
                var seen: [ListenerEvent] = []
                for await event in stream {
                    seen.append(event)
                    if seen.count == 3 { break }
                }
                return seen
            }
            #expect(seen == [.connected, .notification(channel: "alpha", payload: "one"), .notification(channel: "beta", payload: "two")])
        }
        let third = listener.events()
        listener.shutdown()
        // at most the initial .connected, then the stream ends (within bounds: a stream that never ends fails)
        let count = try await TestSupport.within {
            var count = 0
            for await _ in third { count += 1 }
            return count
        }
        #expect(count <= 1)
    }

    @Test func hintsAreCoalescedPerChannel() async throws {
        let database = try await TestDatabase.make()
        let receiver = PostgresListener(.init(conninfo: database.conninfo(), channels: ["mesh_hinted"]))
        receiver.start()
        defer { receiver.shutdown() }
        let sender = PostgresListener(.init(conninfo: database.conninfo(), channels: [], hintWindow: .milliseconds(200)))
        sender.start()
        defer { sender.shutdown() }
        #expect(try await TestSupport.eventually { receiver.isConnected && sender.isConnected })
        let counter = Counter()
        let events = receiver.events()  // subscribed now, before the first hint goes out
        let reading = Task {
            for await event in events where event != .connected { counter.add() }
        }
        defer { reading.cancel() }
        for _ in 0..<100 { sender.hint(["mesh_hinted"]) }
        try await Task.sleep(for: .milliseconds(600))
        // a leading hint and one trailing hint, not a hundred
        #expect((1...2).contains(counter.value))
        sender.hint(["mesh_hinted"])
        #expect(try await TestSupport.eventually { counter.value >= 2 })
    }
}

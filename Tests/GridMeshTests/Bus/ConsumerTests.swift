import EventBus
import Foundation
import Postgres
import Testing

@Suite("Bus consumers")
struct ConsumerTests {
    @Test func publishingInARolledBackTransactionLeavesNoEventAndNoDelivery() async throws {
        let fixture = try await BusFixture()
        struct Abort: Error {}
        let bus = EventBus(source: "test", listener: nil)
        await #expect(throws: Abort.self) {
            try await fixture.pool.transaction { connection in
                try bus.publish("probe.tick", ["n": 1], on: connection)
                throw Abort()
            }
        }
        #expect(try await fixture.pool.query("SELECT count(*) FROM mesh.events").first!.decode(Int.self, at: 0) == 0)
        #expect(try await fixture.deliveryStates().isEmpty)
    }

    @Test func fanOutFollowsTopicPatterns() async throws {
        let fixture = try await BusFixture(subscribers: ["probe", "other"])
        try await fixture.pool.withConnection { try Subscriptions.ensure(subscriber: "exact", topics: ["probe.tick"], on: $0) }
        try await fixture.pool.withConnection { try Subscriptions.ensure(subscriber: "unrelated", topics: ["finding.*"], on: $0) }
        let subscribers = try await fixture.pool.transaction { connection in
            try EventBus(source: "test", listener: nil).publish(Event(topic: "probe.tick", source: "test", payload: ["n": 1]), on: connection)
        }
        #expect(Set(subscribers) == ["probe", "other", "exact"])
    }

    @Test func aFailingHandlerIsRetriedThenDeadThenReplayed() async throws {
        let fixture = try await BusFixture()
        let failures = Counter()
        let shouldFail = Flag(true)
        var handlers = EventHandlers()
        handlers.on("probe.tick", from: "test") { event, connection in
            try connection.execute("INSERT INTO probe_log (event_id, consumer) VALUES ($1, 'x')", [event.id])
            if shouldFail.value {
                failures.add()
                throw Failure("not today")
            }
        }
        let consumer = BusConsumer(
            pool: fixture.pool, listener: nil, handlers: handlers,
            configuration: .init(subscriber: "probe", retry: RetrySchedule(base: .milliseconds(10), cap: .milliseconds(20), maxAttempts: 3)))
        try await fixture.publish(1)
        for _ in 0..<10 {
            await consumer.drain()
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(failures.value == 3)
        #expect(try await fixture.deliveryStates() == ["dead": 1])
        // the failed attempts' effects were rolled back with them
        #expect(try await fixture.logged().rows == 0)
        let error = try await fixture.pool.query("SELECT last_error FROM mesh.deliveries").first!.decode(String.self, at: 0)
        #expect(error.contains("not today"))

        shouldFail.value = false
        let replayed = try await fixture.pool.withConnection { try Subscriptions.replayDead(subscriber: "probe", on: $0) }
        #expect(replayed == 1)
        await consumer.drain()
        #expect(try await fixture.deliveryStates() == ["done": 1])
        #expect(try await fixture.logged().rows == 1)
    }

    @Test func anEventDeliveredAgainIsNotHandledTwice() async throws {
        let fixture = try await BusFixture()
        var handlers = EventHandlers()
        handlers.on("probe.tick", from: "test") { event, connection in
            try connection.execute("INSERT INTO probe_log (event_id, consumer) VALUES ($1, 'x')", [event.id])
        }
        let consumer = BusConsumer(pool: fixture.pool, listener: nil, handlers: handlers, configuration: .init(subscriber: "probe"))
        try await fixture.publish(3)
        await consumer.drain()
        // an operator resets done deliveries by hand: the handler must not run again
        try await fixture.pool.query("UPDATE mesh.deliveries SET state = 'pending', available_at = now()")
        await consumer.drain()
        #expect(try await fixture.logged().rows == 3)
        #expect(try await fixture.deliveryStates() == ["done": 3])
    }

    @Test func eachDaemonRoleSeesOnlyItsOwnDeliveries() async throws {
        let fixture = try await BusFixture(subscribers: ["meetingd", "patrold"])
        try await fixture.publish(2)
        let asMeetingd = fixture.database.pool(user: "meetingd", size: 1)
        defer { asMeetingd.close() }
        let visible = try await asMeetingd.query("SELECT DISTINCT subscriber FROM mesh.deliveries").map { try $0.decode(String.self, at: 0) }
        #expect(visible == ["meetingd"])
        let stolen = try await asMeetingd.query("UPDATE mesh.deliveries SET state = 'done' WHERE subscriber = 'patrold'").affectedRows
        #expect(stolen == 0)
        await #expect(throws: PostgresError.self) { try await asMeetingd.query("SELECT count(*) FROM patrol.findings") }
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Bool
    init(_ value: Bool) { current = value }
    var value: Bool {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}

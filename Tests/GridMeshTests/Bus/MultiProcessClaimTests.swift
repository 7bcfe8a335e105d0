import EventBus
import Foundation
import Postgres
import Testing

@Suite("Claims across processes")
struct MultiProcessClaimTests {
    func probe(_ fixture: BusFixture, name: String, extra: [String] = []) throws -> DaemonProcess {
        let process = try DaemonProcess("busprobe", environment: [:])
        process.process.arguments = ["consume", "--database", fixture.database.conninfo(), "--name", name, "--poll-ms", "200"] + extra
        try process.process.run()
        return process
    }

    @Test func twoProcessesNeverBothHandleADeliveryAndTogetherHandleAll() async throws {
        let fixture = try await BusFixture()
        let first = try probe(fixture, name: "first")
        let second = try probe(fixture, name: "second")
        // both listening before the first event, so both can take part
        #expect(try await TestSupport.eventually(timeout: .seconds(30)) { first.log.contains("ready") && second.log.contains("ready") })
        let total = 1500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await fixture.publish(total / 3) } }
            try await group.waitForAll()
        }
        // every delivery done: a handler runs in the transaction that marks it so, none can run after
        #expect(try await TestSupport.eventually(timeout: .seconds(60)) { try await fixture.deliveryStates() == ["done": total] })
        let logged = try await fixture.logged()
        #expect(logged.rows == total)
        #expect(logged.distinct == total)
        #expect(try await fixture.deliveryStates() == ["done": total])
        let consumers = try await fixture.pool.query("SELECT count(DISTINCT consumer) FROM probe_log").first!.decode(Int.self, at: 0)
        #expect(consumers == 2, "both processes took part")
        #expect(try await first.terminate() == 0)
        #expect(try await second.terminate() == 0)
    }

    @Test func aDeliveryWhoseHandlerWasKilledIsReclaimedAfterTheLease() async throws {
        let fixture = try await BusFixture()
        let doomed = try probe(fixture, name: "doomed", extra: ["--hang-on-first", "--lease-ms", "1500"])
        let ids = try await fixture.publish(1)
        #expect(try await TestSupport.eventually { doomed.log.contains("hanging") })
        try await doomed.kill()
        #expect(try await fixture.deliveryStates() == ["leased": 1])

        let heir = try probe(fixture, name: "heir", extra: ["--lease-ms", "1500"])
        #expect(try await TestSupport.eventually(timeout: .seconds(20)) { try await fixture.logged().rows == 1 })
        let row = try await fixture.pool.query("SELECT event_id, consumer FROM probe_log").first!
        #expect(try row.decode(UUID.self, at: 0) == ids[0])
        #expect(try row.decode(String.self, at: 1) == "heir")
        let attempts = try await fixture.pool.query("SELECT attempts FROM mesh.deliveries").first!.decode(Int.self, at: 0)
        #expect(attempts == 2)
        #expect(try await heir.terminate() == 0)
    }

    @Test func sigtermMidWorkFinishesTheBatchInHandReleasesTheRestAndExitsZero() async throws {
        let fixture = try await BusFixture()
        try await fixture.publish(200)
        let slow = try probe(fixture, name: "slow", extra: ["--handle-ms", "15"])
        #expect(try await TestSupport.eventually { try await fixture.logged().rows > 0 })
        slow.process.terminate()
        #expect(try await slow.waitForExit(timeout: .seconds(30)) == 0)
        let states = try await fixture.deliveryStates()
        #expect(states["leased"] == nil, "no lease is left behind: \(states)")
        #expect((states["done"] ?? 0) == (try await fixture.logged().rows))
        // whatever was not handled is taken by the next consumer at once, not after a lease expires
        let next = try probe(fixture, name: "next")
        #expect(try await TestSupport.eventually(timeout: .seconds(20)) { try await fixture.logged().rows == 200 })
        #expect(try await next.terminate() == 0)
    }
}

import EventBus
import Foundation
import Postgres

/// A test database with a `probe` subscriber on `probe.*` and the `probe_log` table busprobe writes.
struct BusFixture {
    let database: TestDatabase
    let pool: PostgresPool

    init(subscribers: [String] = ["probe"]) async throws {
        database = try await TestDatabase.make()
        pool = database.pool(size: 4)
        try await pool.withConnection { connection in
            try connection.execute(
                script: "CREATE TABLE probe_log (event_id uuid NOT NULL, consumer text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())")
            for subscriber in subscribers { try Subscriptions.ensure(subscriber: subscriber, topics: ["probe.*"], on: connection) }
        }
    }

    /// Publishes `count` `probe.tick` events, each in its own transaction; returns their ids.
    @discardableResult
    func publish(_ count: Int, bus: EventBus? = nil) async throws -> [UUID] {
        let bus = bus ?? EventBus(source: "test", listener: nil)
        var ids: [UUID] = []
        for index in 0..<count {
            ids.append(try await pool.transaction { try bus.publish("probe.tick", ["n": index], on: $0).id })
        }
        return ids
    }

    func logged() async throws -> (rows: Int, distinct: Int) {
        let row = try await pool.query("SELECT count(*), count(DISTINCT event_id) FROM probe_log").first!
        return (try row.decode(at: 0), try row.decode(at: 1))
    }

    func deliveryStates(_ subscriber: String = "probe") async throws -> [String: Int] {
        var states: [String: Int] = [:]
        for row in try await pool.query("SELECT state, count(*) FROM mesh.deliveries WHERE subscriber = $1 GROUP BY state", [subscriber]) {
            states[try row.decode(at: 0)] = try row.decode(at: 1)
        }
        return states
    }
}

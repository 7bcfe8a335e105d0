import EventBus
import Foundation
import GridCore
import Postgres
import Testing

/// Review hole 4: every daemon role could insert events with any source, and deliveries for any
/// subscriber, so code running as vettingd could record a home visit in reentryd.
@Suite("Events cannot be forged in the database")
struct EventForgeryTests {
    @Test func aRoleRecordsOnlyItsOwnEventsAndFansOutOnlyThem() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let vettingd = try database.connect(user: "vettingd")
        let forged = """
            INSERT INTO mesh.events (event_id, topic, source, occurred_at, payload)
            VALUES (gen_random_uuid(), 'visit.reported', $1, now(), '{"case_id": "RC-7F3A21", "outcome": "met"}') RETURNING id
            """
        #expect(throws: PostgresError.self, "as another source") { try vettingd.query(forged, ["patrold"]) }
        let own = try vettingd.query(forged, ["vettingd"]).first!.decode(Int.self, at: 0)

        // a delivery of its own event to reentryd is fan-out; of patrold's event, forgery
        let admin = try database.connect()
        let patrolds = try admin.query(forged, ["patrold"]).first!.decode(Int.self, at: 0)
        let subscription = try admin.query("SELECT id FROM mesh.subscriptions WHERE subscriber = 'reentryd' AND topic_pattern = 'visit.reported'").first!
            .decode(UUID.self, at: 0)
        let deliver = "INSERT INTO mesh.deliveries (event_id, subscription_id, subscriber) VALUES ($1, $2, 'reentryd')"
        #expect(throws: PostgresError.self, "someone else's event") { try vettingd.execute(deliver, [patrolds, subscription]) }
        #expect(try vettingd.execute(deliver, [own, subscription]) == 1)
        #expect(try admin.query("SELECT count(*)::int FROM mesh.events WHERE source = 'patrold'").first!.decode(Int.self, at: 0) == 1)
    }

    @Test func aConsumerDoesNotHandleATopicFromTheWrongSource() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let f = try await ReentryFixture(database: database)
        let (caseID, caseRef) = try await f.openCase()
        // vettingd's own (allowed) event on patrold's topic: reentryd must not take it as a visit
        let vettingd = try database.connect(user: "vettingd")
        try vettingd.transaction { connection in
            try EventBus(source: "vettingd", listener: nil).publish(
                "visit.reported",
                [
                    "visit_request_id": UUID().uuidString.lowercased(), "case_id": caseRef, "grid_code": "dongting-05", "visited_at": TestClock.rfc3339(),
                    "outcome": "met", "reported_by": "forger",
                ], on: connection)
        }
        let admin = database.pool(size: 1)
        defer { admin.close() }
        #expect(
            try await TestSupport.eventually {
                try await admin.query("SELECT count(*)::int FROM mesh.deliveries WHERE subscriber = 'reentryd' AND last_error LIKE '%not handled%'").first!
                    .decode(Int.self, at: 0) == 1
            })
        let contacts = try f.array(try await f.get("/v1/cases/\(caseID)/contacts", f.liu))
        #expect(contacts.isEmpty, "no contact was recorded from a forged visit")
        _ = try await f.reentryd.terminate()
    }
}

import Foundation
import Postgres

/// Publishes events inside the caller's transaction (the outbox): the event row and one delivery
/// per matching subscription commit or roll back together with the change they report. After the
/// commit, a coalesced NOTIFY hint wakes the subscribers; correctness never depends on it.
public struct EventBus: Sendable {
    public let source: String
    private let listener: PostgresListener?
    /// Whether the source's own live feeds (the console's board) hear of each commit.
    private let announcesLive: Bool

    /// `listener` sends the wake-up hints; without one (e.g. in `gridctl`) subscribers find the
    /// work on their fallback poll. `announcesLive` adds the source's live channel to the hints.
    public init(source: String, listener: PostgresListener?, announcesLive: Bool = false) {
        self.source = source
        self.listener = listener
        self.announcesLive = announcesLive
    }

    /// Writes the event and its deliveries on `connection`, which should be inside a transaction.
    /// Returns the subscribers it was fanned out to.
    @discardableResult
    public func publish(_ event: Event, on connection: PostgresConnection) throws -> [String] {
        // two statements: the database lets a role fan out only events it recorded (mesh v7), and
        // a row one part of a statement inserts is not visible to another part's check
        let id = try connection.query(
            "INSERT INTO mesh.events (event_id, topic, source, occurred_at, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            [event.id, event.topic, source, event.occurredAt, event.payload]
        ).first!.decode(Int.self, at: 0)
        let rows = try connection.query(
            """
            WITH event AS (SELECT $1::bigint AS id), matched AS (
                SELECT id, subscriber FROM mesh.subscriptions
                WHERE state = 'active'
                  AND (topic_pattern = $2 OR topic_pattern = '*'
                       OR (right(topic_pattern, 2) = '.*' AND starts_with($2, left(topic_pattern, -1))))
            ), fanned AS (
                INSERT INTO mesh.deliveries (event_id, subscription_id, subscriber)
                SELECT event.id, matched.id, matched.subscriber FROM event, matched
            ), hooked AS (
                INSERT INTO mesh.webhook_deliveries (endpoint_id, owner, event_id)
                SELECT w.id, w.owner, event.id FROM event, mesh.webhook_endpoints w
                WHERE w.owner = $3 AND w.state <> 'disabled'
                  AND EXISTS (SELECT 1 FROM unnest(w.topics) t
                              WHERE t = $2 OR t = '*' OR (right(t, 2) = '.*' AND starts_with($2, left(t, -1))))
                  AND (w.agency_code IS NULL OR w.agency_code = coalesce($4->>'agency_code', $4->>'owner_agency'))
                RETURNING 1
            )
            SELECT DISTINCT subscriber, false FROM matched
            UNION ALL
            SELECT $3, true FROM hooked LIMIT 1000
            """,
            [id, event.topic, source, event.payload])
        var subscribers: [String] = []
        var hooked = false
        for row in rows {
            if try row.decode(Bool.self, at: 1) { hooked = true } else { subscribers.append(try row.decode(String.self, at: 0)) }
        }
        if let listener {
            let channels =
                subscribers.map(wakeChannel(for:)) + (hooked ? [webhookChannel(for: source)] : []) + (announcesLive ? [liveChannel(for: source)] : [])
            connection.onCommit { listener.hint(channels) }
        }
        return subscribers
    }

    /// Builds and publishes an event with this bus's source.
    @discardableResult
    public func publish(_ topic: String, _ payload: some Encodable, at time: Date = Date(), on connection: PostgresConnection) throws -> Event {
        let event = try Event(topic: topic, source: source, occurredAt: time, payload: payload)
        try publish(event, on: connection)
        return event
    }
}

/// Subscriptions and dead deliveries: what `gridctl` and the migrations manage.
public enum Subscriptions {
    /// Subscribes `subscriber` to each topic pattern (idempotent).
    public static func ensure(subscriber: String, topics: [String], on connection: PostgresConnection) throws {
        for topic in topics {
            try connection.execute(
                "INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ($1, $2) ON CONFLICT (subscriber, topic_pattern) DO NOTHING",
                [subscriber, topic])
        }
    }

    /// Puts dead deliveries back in line (all of a subscriber's, or one), with their attempts reset.
    @discardableResult
    public static func replayDead(subscriber: String, deliveryID: Int? = nil, on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            """
            UPDATE mesh.deliveries SET state = 'pending', attempts = 0, available_at = now(), last_error = NULL, finished_at = NULL
            WHERE state = 'dead' AND subscriber = $1 AND ($2::bigint IS NULL OR id = $2)
            """, [subscriber, deliveryID])
    }
}

import Foundation
import GridCore
import Postgres

/// Managing a daemon's webhook endpoints: the same operations for its API and for `gridctl
/// webhooks`. Every statement names the owner, and row-level security holds a daemon to its own.
public struct WebhookEndpoints: Sendable {
    public let owner: String
    public let policy: AddressPolicy
    public let sealer: SecretSealer

    public init(owner: String, policy: AddressPolicy, sealer: SecretSealer) {
        self.owner = owner
        self.policy = policy
        self.sealer = sealer
    }

    /// What is wrong with a new endpoint, field by field (empty when nothing is).
    public func problems(url: String, topics: [String], description: String) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        do {
            _ = try policy.check(url: url)
        } catch {
            problems.append(("url", "is refused: \(error.reason)"))
        }
        if url.length > 2000 { problems.append(("url", "at most 2000 characters")) }
        if topics.isEmpty || topics.count > 50 { problems.append(("topics", "1 to 50 topic patterns")) }
        for topic in topics where topic.range(of: #"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$"#, options: .regularExpression) == nil {
            problems.append(("topics", "\(topic) is not a topic or pattern (finding.dispatched, finding.*, *)"))
        }
        if description.length > 500 { problems.append(("description", "at most 500 characters")) }
        return problems
    }

    /// Creates an endpoint with a fresh secret; returns it with the secret (shown this once).
    public func create(
        id: UUID, url: String, topics: [String], description: String, agencyCode: String?, by subject: String, at now: Date, on connection: PostgresConnection
    ) throws -> (WebhookEndpoint, secret: String, created: Bool) {
        let secret = WebhookSignature.newSecret()
        let inserted = try connection.execute(
            """
            INSERT INTO mesh.webhook_endpoints (id, owner, url, description, topics, agency_code, secret, created_by, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING
            """, [id, owner, url, description, topics, agencyCode, try sealer.seal(secret, for: "endpoint:\(id)"), subject, now])
        guard let endpoint = try get(id, on: connection) else { throw EndpointError.notFound }
        return (endpoint, inserted == 1 ? secret : "", inserted == 1)
    }

    public func get(_ id: UUID, on connection: PostgresConnection) throws -> WebhookEndpoint? {
        try connection.query("SELECT \(WebhookEndpoint.columns) FROM mesh.webhook_endpoints WHERE id = $1 AND owner = $2", [id, owner]).first.map(
            WebhookEndpoint.init(row:))
    }

    public func list(on connection: PostgresConnection) throws -> [WebhookEndpoint] {
        try connection.query("SELECT \(WebhookEndpoint.columns) FROM mesh.webhook_endpoints WHERE owner = $1 ORDER BY created_at, id", [owner]).map(
            WebhookEndpoint.init(row:))
    }

    public enum EndpointError: Error, Equatable {
        case notFound
        case invalidTransition(String)
    }

    /// pause | resume (also re-enables a disabled endpoint) | delete.
    public func change(_ id: UUID, to action: String, at now: Date, on connection: PostgresConnection) throws -> WebhookEndpoint? {
        switch action {
        case "delete":
            guard try connection.execute("DELETE FROM mesh.webhook_endpoints WHERE id = $1 AND owner = $2", [id, owner]) == 1 else {
                throw EndpointError.notFound
            }
            return nil
        case "pause", "resume":
            let changed = try connection.execute(
                """
                UPDATE mesh.webhook_endpoints SET state = CASE WHEN $3 = 'pause' THEN 'paused' ELSE 'active' END,
                    disabled_reason = CASE WHEN $3 = 'resume' THEN NULL ELSE disabled_reason END,
                    failing_since = CASE WHEN $3 = 'resume' THEN NULL ELSE failing_since END, updated_at = $4
                WHERE id = $1 AND owner = $2
                """, [id, owner, action, now])
            guard changed == 1, let endpoint = try get(id, on: connection) else { throw EndpointError.notFound }
            if action == "resume" {
                try connection.execute(
                    "UPDATE mesh.webhook_deliveries SET next_attempt_at = $2 WHERE endpoint_id = $1 AND state = 'pending'", [id, now])
            }
            return endpoint
        default:
            throw EndpointError.invalidTransition(action)
        }
    }

    /// A new secret; the old one keeps signing alongside it for `overlap`, so receivers can switch.
    public func rotateSecret(_ id: UUID, overlap: Duration, at now: Date, on connection: PostgresConnection) throws -> String {
        let secret = WebhookSignature.newSecret()
        let changed = try connection.execute(
            """
            UPDATE mesh.webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $3, secret = $4, updated_at = $5
            WHERE id = $1 AND owner = $2
            """, [id, owner, now.addingTimeInterval(Double(overlap.components.seconds)), try sealer.seal(secret, for: "endpoint:\(id)"), now])
        guard changed == 1 else { throw EndpointError.notFound }
        return secret
    }

    /// The delivery log of an endpoint, newest first, with every attempt.
    public func deliveries(of id: UUID, limit: Int, on connection: PostgresConnection) throws -> [WebhookDelivery] {
        var deliveries = try connection.query(
            """
            SELECT \(WebhookDelivery.columns) FROM mesh.webhook_deliveries d JOIN mesh.events e ON e.id = d.event_id
            WHERE d.endpoint_id = $1 AND d.owner = $2 ORDER BY d.id DESC LIMIT $3
            """, [id, owner, limit]
        ).map(WebhookDelivery.init(row:))
        let attempts = try connection.query(
            """
            SELECT delivery_id, attempt, at, status, latency_ms, error, round FROM mesh.webhook_attempts
            WHERE owner = $1 AND delivery_id = ANY($2) ORDER BY delivery_id, round, attempt
            """, [owner, IntArray(deliveries.map(\.id))])
        for row in attempts {
            let delivery: Int = try row.decode(at: 0)
            guard let index = deliveries.firstIndex(where: { $0.id == delivery }) else { continue }
            deliveries[index].attemptLog.append(
                .init(
                    round: try row.decode(at: 6), attempt: try row.decode(at: 1), at: try row.decode(at: 2), status: try row.decode(Int?.self, at: 3),
                    latencyMs: try row.decode(at: 4),
                    error: try row.decode(String?.self, at: 5)))
        }
        return deliveries
    }

    /// Sends again one event (by its id) or every event of a time range to the endpoint: delivered
    /// and dead deliveries go back in line; events it never had are added.
    public func replay(_ id: UUID, event: UUID?, from: Date?, to: Date?, at now: Date, on connection: PostgresConnection) throws -> Int {
        guard let endpoint = try get(id, on: connection) else { throw EndpointError.notFound }
        let requeued = try connection.execute(
            """
            UPDATE mesh.webhook_deliveries d SET state = 'pending', attempts = 0, round = d.round + 1, next_attempt_at = $5, last_error = NULL
            FROM mesh.events e
            WHERE e.id = d.event_id AND d.endpoint_id = $1 AND d.owner = $2
              AND (($3::uuid IS NOT NULL AND e.event_id = $3) OR ($3::uuid IS NULL AND e.occurred_at >= $4 AND e.occurred_at < $6))
            """, [id, owner, event, from, now, to])
        let added = try connection.execute(
            """
            INSERT INTO mesh.webhook_deliveries (endpoint_id, owner, event_id, next_attempt_at)
            SELECT $1, $2, e.id, $5 FROM mesh.events e
            WHERE e.source = $2 AND (($3::uuid IS NOT NULL AND e.event_id = $3) OR ($3::uuid IS NULL AND e.occurred_at >= $4 AND e.occurred_at < $6))
              AND EXISTS (SELECT 1 FROM unnest($7::text[]) t WHERE t = e.topic OR t = '*' OR (right(t, 2) = '.*' AND starts_with(e.topic, left(t, -1))))
              -- an agency's endpoint gets only its agency's events on replay too, as at fan-out
              AND ($8::text IS NULL OR $8 = coalesce(e.payload->>'agency_code', e.payload->>'owner_agency'))
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            """, [id, owner, event, from, now, to, endpoint.topics, endpoint.agencyCode])
        return requeued + added
    }
}

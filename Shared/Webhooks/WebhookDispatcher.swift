import EventBus
import Foundation
import GridCore
import HTTPClient
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Delivers a daemon's webhook deliveries: claims the due ones (`SKIP LOCKED`, so instances share
/// the work), signs each per Standard Webhooks, sends them all at once through the multi client
/// (bounded per host and in total, 15 s timeout, no redirects, pinned to the address the SSRF guard
/// checked), and records every attempt. 2xx delivers; 410 disables the endpoint; 429/503 wait as
/// `Retry-After` says; other failures follow the retry schedule until the delivery is dead. An
/// endpoint failing for longer than `disableAfter` is disabled, and `webhook.endpoint_disabled`
/// tells its owner.
public struct WebhookDispatcher: Service {
    public struct Settings: Sendable {
        public var retry: RetryPolicy
        public var batchSize: Int
        /// Batches in flight at once: while one is on the wire, another is claimed or recorded.
        public var workers: Int
        public var disableAfter: Duration
        public var pollInterval: Duration
        public var timeout: Duration

        public init(
            retry: RetryPolicy = .standard, batchSize: Int = 64, workers: Int = 4, disableAfter: Duration = .seconds(5 * 86400),
            pollInterval: Duration = .seconds(2),
            timeout: Duration = .seconds(15)
        ) {
            self.retry = retry
            self.batchSize = batchSize
            self.workers = workers
            self.disableAfter = disableAfter
            self.pollInterval = pollInterval
            self.timeout = timeout
        }
    }

    let owner: String
    let pool: PostgresPool
    let listener: PostgresListener?
    let bus: EventBus
    let client: MultiClient
    let policy: AddressPolicy
    let sealer: SecretSealer
    let settings: Settings
    let logger: Logger
    let delivered: Counter
    let failed: Counter

    public init(
        owner: String, pool: PostgresPool, listener: PostgresListener?, bus: EventBus, client: MultiClient, policy: AddressPolicy, sealer: SecretSealer,
        settings: Settings, logger: Logger
    ) {
        self.sealer = sealer
        self.owner = owner
        self.pool = pool
        self.listener = listener
        self.bus = bus
        self.client = client
        self.policy = policy
        self.settings = settings
        self.logger = logger
        delivered = Counter(label: "gridmesh_webhook_deliveries_total", dimensions: [("outcome", "delivered")])
        failed = Counter(label: "gridmesh_webhook_deliveries_total", dimensions: [("outcome", "failed")])
    }

    public func run() async throws {
        await drainWhenWoken(listener: listener, channel: webhookChannel(for: owner), poll: settings.pollInterval) { await self.drain() }
    }

    /// Dispatches batches until none is due, `workers` at a time.
    public func drain() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, settings.workers) { group.addTask { await self.drainBatches() } }
        }
    }

    func drainBatches() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let batch = try await claim()
                if batch.isEmpty { return }
                let outcomes = await send(batch)
                try await record(outcomes)
                if batch.count < settings.batchSize { return }
            } catch {
                logger.warning("dispatching webhooks failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    struct Due: Sendable {
        let delivery: Int
        let endpoint: UUID
        let attempt: Int
        let url: String
        /// As stored: sealed for `endpoint:<id>`.
        let secrets: [String]
        let eventID: UUID
        let topic: String
        let occurredAt: Date
        let payload: String
        /// Which delivery of the event this is: 0, then one more per replay.
        let round: Int
    }

    struct Outcome: Sendable {
        let due: Due
        let status: Int?
        let retryAfter: String?
        let error: String?
        let latency: Duration
    }

    func claim() async throws -> [Due] {
        try await pool.transaction { [owner, settings] connection in
            try connection.query(
                """
                WITH due AS (
                    SELECT d.id FROM mesh.webhook_deliveries d JOIN mesh.webhook_endpoints w ON w.id = d.endpoint_id
                    WHERE d.owner = $1 AND d.state = 'pending' AND d.next_attempt_at <= now() AND w.state = 'active'
                    ORDER BY d.next_attempt_at, d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE mesh.webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + interval '1 minute'
                FROM due, mesh.webhook_endpoints w, mesh.events e
                WHERE d.id = due.id AND w.id = d.endpoint_id AND e.id = d.event_id
                RETURNING d.id, d.endpoint_id, d.attempts, w.url, w.secret,
                          CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END, e.event_id, e.topic, e.occurred_at, e.payload::text,
                          d.round
                """, [owner, settings.batchSize]
            ).map {
                Due(
                    delivery: try $0.decode(at: 0), endpoint: try $0.decode(at: 1), attempt: try $0.decode(at: 2), url: try $0.decode(at: 3),
                    secrets: [try $0.decode(String.self, at: 4)] + [try $0.decode(String?.self, at: 5)].compactMap { $0 }, eventID: try $0.decode(at: 6),
                    topic: try $0.decode(at: 7), occurredAt: try $0.decode(at: 8), payload: try $0.decode(at: 9), round: try $0.decode(at: 10))
            }
        }
    }

    /// The body: the Standard Webhooks envelope of type, timestamp and data.
    static func body(_ due: Due) -> [UInt8] {
        Array(#"{"type":"\#(due.topic)","timestamp":"\#(RFC3339.format(due.occurredAt))","data":\#(due.payload)}"#.utf8)
    }

    /// Signs and sends a batch at once. The guard resolves and checks each URL once per batch, and
    /// every request is pinned to the address it checked; refused ones are not sent at all.
    func send(_ batch: [Due]) async -> [Outcome] {
        var targets: [String: Result<AddressPolicy.Target, AddressPolicy.Refusal>] = [:]
        for url in Set(batch.map(\.url)) { targets[url] = Result { () throws(AddressPolicy.Refusal) in try policy.check(url: url) } }
        // and opens each endpoint's sealed secrets once per batch
        var secrets: [UUID: [String]] = [:]
        for due in batch where secrets[due.endpoint] == nil {
            secrets[due.endpoint] = due.secrets.compactMap { try? sealer.open($0, for: "endpoint:\(due.endpoint)") }
        }
        let timestamp = Int(Date().timeIntervalSince1970)
        var outcomes: [Outcome?] = Array(repeating: nil, count: batch.count)
        var requests: [HTTPRequest] = []
        var sent: [Int] = []
        for (index, due) in batch.enumerated() {
            switch targets[due.url]! {
            case .failure(let refusal):
                outcomes[index] = Outcome(due: due, status: nil, retryAfter: nil, error: "refused by the SSRF guard: \(refusal.reason)", latency: .zero)
            case .success(let target):
                let body = Self.body(due)
                let id = due.eventID.uuidString.lowercased()
                let secrets = secrets[due.endpoint] ?? []
                guard !secrets.isEmpty else {
                    outcomes[index] = Outcome(
                        due: due, status: nil, retryAfter: nil, error: "not sent: the endpoint's secret does not open with this secrets key", latency: .zero)
                    continue
                }
                let signature = secrets.compactMap { WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
                requests.append(
                    HTTPRequest(
                        method: "POST", url: due.url,
                        headers: [
                            ("Content-Type", "application/json"), ("User-Agent", "GridMesh-\(owner)"), ("webhook-id", id),
                            ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
                        ], body: body, timeout: settings.timeout, pinnedAddresses: [target.curlResolve],
                        maxResponseBytes: 4096))
                sent.append(index)
            }
        }
        let started = ContinuousClock.now
        let results = await client.send(all: requests)
        let elapsed = ContinuousClock.now - started
        for (index, result) in zip(sent, results) {
            let due = batch[index]
            switch result {
            case .success(let response):
                let error = (200...299).contains(response.status) ? nil : "answered \(response.status)"
                outcomes[index] = Outcome(
                    due: due, status: response.status, retryAfter: response.header("Retry-After"), error: error, latency: response.duration)
            case .failure(let failure):
                outcomes[index] = Outcome(due: due, status: nil, retryAfter: nil, error: "\(failure)", latency: elapsed)
            }
        }
        return outcomes.map { $0! }
    }

    struct EndpointDisabled: Codable {
        let endpointId: UUID
        let reason: String
    }

    /// One attempt as the set-based statements of `record` read it.
    struct AttemptRow: Encodable {
        let deliveryId: Int
        let round: Int
        let attempt: Int
        let status: Int?
        let latencyMs: Int
        let error: String?
    }

    /// Writes a batch's outcomes in one transaction: every attempt and every delivery in a statement
    /// each (the common case costs three round trips, not three per delivery); failures one by one.
    func record(_ outcomes: [Outcome]) async throws {
        let now = Date()
        let rows = outcomes.map { outcome in
            AttemptRow(
                deliveryId: outcome.due.delivery, round: outcome.due.round, attempt: outcome.due.attempt, status: outcome.status,
                latencyMs: Int(outcome.latency.components.seconds * 1000 + outcome.latency.components.attoseconds / 1_000_000_000_000_000),
                error: outcome.error)
        }
        let succeeded = rows.filter { $0.error == nil }
        let recovered = Set(outcomes.filter { $0.error == nil }.map(\.due.endpoint))
        try await pool.transaction { [owner, settings, bus] connection in
            try connection.execute(
                """
                INSERT INTO mesh.webhook_attempts (delivery_id, round, attempt, owner, at, status, latency_ms, error)
                SELECT r.delivery_id, r.round, r.attempt, $2, $3, r.status, r.latency_ms, r.error
                FROM jsonb_to_recordset($1) AS r(delivery_id bigint, round integer, attempt integer, status integer, latency_ms integer, error text)
                ON CONFLICT DO NOTHING
                """, [JSONB(text: String(decoding: try WireJSON.encoder().encode(rows), as: UTF8.self)), owner, now])
            if !succeeded.isEmpty {
                try connection.execute(
                    """
                    UPDATE mesh.webhook_deliveries d SET state = 'delivered', delivered_at = $2, last_status = r.status, last_error = NULL,
                        last_latency_ms = r.latency_ms
                    FROM jsonb_to_recordset($1) AS r(delivery_id bigint, status integer, latency_ms integer)
                    WHERE d.id = r.delivery_id
                    """, [JSONB(text: String(decoding: try WireJSON.encoder().encode(succeeded), as: UTF8.self)), now])
                try connection.execute(
                    "UPDATE mesh.webhook_endpoints SET failing_since = NULL WHERE id = ANY($1) AND failing_since IS NOT NULL", [UUIDArray(Array(recovered))])
            }
            for (outcome, row) in zip(outcomes, rows) where outcome.error != nil {
                let due = outcome.due
                let milliseconds = row.latencyMs
                var disable: String?
                if outcome.status == 410 {
                    // the receiver says the endpoint is gone: stop, keep the delivery for a resume
                    disable = "the endpoint answered 410 Gone"
                    try connection.execute(
                        "UPDATE mesh.webhook_deliveries SET last_status = 410, last_error = $2, last_latency_ms = $3, next_attempt_at = $4 WHERE id = $1",
                        [due.delivery, outcome.error, milliseconds, now])
                } else {
                    let honoured = [429, 503].contains(outcome.status ?? 0) ? RetryPolicy.retryAfter(outcome.retryAfter, now: now) : nil
                    let delay = settings.retry.delay(afterAttempt: due.attempt, retryAfter: honoured)
                    try connection.execute(
                        """
                        UPDATE mesh.webhook_deliveries SET state = CASE WHEN $5::float8 IS NULL THEN 'dead' ELSE 'pending' END, last_status = $2,
                            last_error = $3, last_latency_ms = $4, next_attempt_at = $6::timestamptz + coalesce($5, 0) * interval '1 second'
                        WHERE id = $1
                        """,
                        [
                            due.delivery, outcome.status, outcome.error, milliseconds,
                            delay.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }, now,
                        ])
                    let since = try connection.query(
                        "UPDATE mesh.webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1 RETURNING failing_since",
                        [due.endpoint, now]
                    ).first?.decode(Date.self, at: 0)
                    if let since, now.timeIntervalSince(since) > Double(settings.disableAfter.components.seconds) {
                        disable = "failing since \(RFC3339.format(since))"
                    }
                }
                if let disable {
                    let changed = try connection.execute(
                        "UPDATE mesh.webhook_endpoints SET state = 'disabled', disabled_reason = $2, updated_at = $3 WHERE id = $1 AND state <> 'disabled'",
                        [due.endpoint, disable, now])
                    if changed == 1 {
                        try bus.publish("webhook.endpoint_disabled", EndpointDisabled(endpointId: due.endpoint, reason: disable), at: now, on: connection)
                    }
                }
            }
        }
        for outcome in outcomes { (outcome.error == nil ? delivered : failed).increment() }
        for outcome in outcomes where outcome.error != nil {
            logger.info(
                "a webhook delivery failed",
                metadata: ["endpoint_id": "\(outcome.due.endpoint)", "attempt": "\(outcome.due.attempt)", "error": "\(outcome.error!)"])
        }
    }
}

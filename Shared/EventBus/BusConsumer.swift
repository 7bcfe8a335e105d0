import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Claims one subscriber's deliveries and runs its handlers.
///
/// It wakes on a NOTIFY hint for its channel, after every (re)connect of the listener (to catch
/// up on hints lost while disconnected) and on a fallback poll. Deliveries are claimed with
/// `FOR UPDATE SKIP LOCKED` into a lease, so several instances share the work and a killed one's
/// deliveries are reclaimed once the lease expires. On graceful shutdown it releases its leases.
public final class BusConsumer: Service, Sendable {
    public struct Configuration: Sendable {
        public var subscriber: String
        public var batchSize: Int
        public var leaseDuration: Duration
        public var pollInterval: Duration
        public var retry: RetrySchedule

        public init(
            subscriber: String, batchSize: Int = 32, leaseDuration: Duration = .seconds(30),
            pollInterval: Duration = .seconds(2), retry: RetrySchedule = .init()
        ) {
            self.subscriber = subscriber
            self.batchSize = batchSize
            self.leaseDuration = leaseDuration
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    public let configuration: Configuration
    private let pool: PostgresPool
    private let listener: PostgresListener?
    private let handlers: EventHandlers
    private let logger: Logger
    private let handled: Counter
    private let failed: Counter
    private let dead: Counter
    private let lag: Metrics.Timer
    private let stopping = Atomic<Bool>(false)
    private let deadDeliveries: Gauge
    private let waitingDeliveries: Gauge
    private let oldestWaiting: Gauge
    private let notifyQueueUsage: Gauge

    public init(
        pool: PostgresPool, listener: PostgresListener?, handlers: EventHandlers, configuration: Configuration,
        logger: Logger = Logger(label: "gridmesh.bus")
    ) {
        self.pool = pool
        self.listener = listener
        self.handlers = handlers
        self.configuration = configuration
        self.logger = logger
        let dimensions = [("subscriber", configuration.subscriber)]
        handled = Counter(label: "gridmesh_bus_handled_total", dimensions: dimensions)
        failed = Counter(label: "gridmesh_bus_failed_total", dimensions: dimensions)
        dead = Counter(label: "gridmesh_bus_dead_total", dimensions: dimensions)
        lag = Metrics.Timer(label: "gridmesh_bus_lag_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        deadDeliveries = Gauge(label: "gridmesh_bus_dead_deliveries", dimensions: dimensions)
        waitingDeliveries = Gauge(label: "gridmesh_bus_waiting_deliveries", dimensions: dimensions)
        oldestWaiting = Gauge(label: "gridmesh_bus_oldest_waiting_seconds", dimensions: dimensions)
        notifyQueueUsage = Gauge(label: "gridmesh_pg_notification_queue_usage")
    }

    /// Refreshes the gauges operators alert on: dead and waiting deliveries, the age of the oldest
    /// waiting one (the bus's lag) and how full PostgreSQL's NOTIFY queue is.
    func measure() async {
        let subscriber = configuration.subscriber
        do {
            let row = try await pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT (SELECT count(*) FROM mesh.deliveries WHERE subscriber = $1 AND state = 'dead'),
                           (SELECT count(*) FROM mesh.deliveries WHERE subscriber = $1 AND state IN ('pending', 'leased')),
                           (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                            FROM mesh.deliveries WHERE subscriber = $1 AND state IN ('pending', 'leased')),
                           pg_notification_queue_usage()
                    """, [subscriber]
                ).first!
            }
            deadDeliveries.record(try row.decode(Int.self, at: 0))
            waitingDeliveries.record(try row.decode(Int.self, at: 1))
            oldestWaiting.record(try row.decode(Double.self, at: 2))
            notifyQueueUsage.record(try row.decode(Double.self, at: 3))
        } catch {
            logger.debug("measuring the bus failed", metadata: ["error": "\(error)"])
        }
    }

    public func run() async throws {
        await drainWhenWoken(
            listener: listener, channel: wakeChannel(for: configuration.subscriber), poll: configuration.pollInterval,
            onPoll: { await self.measure() }, onShutdown: { self.stopping.store(true, ordering: .relaxed) }, drain: { await self.drain() })
    }

    /// Claims and handles batches until none is ready. Public so tests and tools can drive it.
    public func drain() async {
        while !Task.isCancelled {
            do {
                let batch = try await claim()
                if batch.isEmpty { return }
                if stopping.load(ordering: .relaxed) {
                    await release(batch)
                    return
                }
                await handle(batch)
                if batch.count < configuration.batchSize { return }
            } catch {
                logger.warning("claiming deliveries failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    struct Delivery: Sendable {
        let id: Int
        let attempts: Int
        let leaseToken: UUID
        let event: Event
    }

    func claim() async throws -> [Delivery] {
        let token = UUID()
        let configuration = configuration
        return try await pool.withConnection { connection in
            let rows = try connection.query(
                """
                WITH ready AS (
                    SELECT id FROM mesh.deliveries
                    WHERE subscriber = $1 AND state IN ('pending', 'leased') AND available_at <= now()
                    ORDER BY available_at, id
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE mesh.deliveries d
                SET state = 'leased', lease_token = $3, attempts = d.attempts + 1,
                    available_at = now() + $4 * interval '1 millisecond'
                FROM ready, mesh.events e
                WHERE d.id = ready.id AND e.id = d.event_id
                RETURNING d.id, d.attempts, e.event_id, e.topic, e.source, e.occurred_at, e.payload::text
                """,
                [configuration.subscriber, configuration.batchSize, token, Int(configuration.leaseDuration.milliseconds)])
            return try rows.map { row in
                Delivery(
                    id: try row.decode(at: 0), attempts: try row.decode(at: 1), leaseToken: token,
                    event: Event(
                        id: try row.decode(at: 2), topic: try row.decode(at: 3), source: try row.decode(at: 4),
                        occurredAt: try row.decode(at: 5), payload: JSONB(text: try row.decode(at: 6))))
            }.sorted { $0.id < $1.id }
        }
    }

    struct LeaseLost: Error {}

    enum Outcome {
        case done
        case failed(any Error, dead: Bool)
        case leaseLost
    }

    /// Handles a claimed batch in one transaction: one statement records which events are new to
    /// this subscriber, each handler runs under its own savepoint (a failing one rolls back alone and
    /// its delivery is rescheduled, or dead), and one statement marks the rest done — a handful of
    /// statements and one commit per batch, not per event.
    func handle(_ batch: [Delivery]) async {
        let subscriber = configuration.subscriber
        let handlers = handlers
        let retry = configuration.retry
        let outcomes: [Int: Outcome]
        do {
            outcomes = try await pool.withConnection { connection in
                try connection.transaction { connection in
                    try Self.handle(batch, subscriber: subscriber, handlers: handlers, retry: retry, on: connection)
                }
            }
        } catch {
            logger.warning(
                "handling a batch failed; its leases will expire and it will be retried", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            return
        }
        for delivery in batch {
            switch outcomes[delivery.id] ?? .done {
            case .done:
                handled.increment()
                lag.recordInterval(since: delivery.event.occurredAt)
            case .failed(let error, let dead):
                failed.increment()
                if dead { self.dead.increment() }
                logger.warning(
                    dead ? "handler failed; delivery is dead" : "handler failed; will retry",
                    metadata: ["topic": "\(delivery.event.topic)", "event_id": "\(delivery.event.id)", "attempt": "\(delivery.attempts)", "error": "\(error)"])
            case .leaseLost:
                logger.notice("lease expired before the batch committed; the event was still handled once", metadata: ["event_id": "\(delivery.event.id)"])
            }
        }
    }

    /// The batch inside its transaction; returns the outcome of every delivery that was not simply done.
    static func handle(
        _ batch: [Delivery], subscriber: String, handlers: EventHandlers, retry: RetrySchedule, on connection: PostgresConnection
    ) throws -> [Int: Outcome] {
        let fresh = Set(
            try connection.query(
                "INSERT INTO mesh.handled (subscriber, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id",
                [subscriber, UUIDArray(batch.map(\.event.id))]
            ).map { try $0.decode(UUID.self, at: 0) })
        var outcomes: [Int: Outcome] = [:]
        for delivery in batch where fresh.contains(delivery.event.id) {
            guard let handler = handlers.handler(for: delivery.event.topic) else { continue }
            try connection.execute(script: "SAVEPOINT delivery")
            do {
                try handler(delivery.event, connection)
                try connection.execute(script: "RELEASE SAVEPOINT delivery")
            } catch let error as PostgresError where error.isConnectionLoss {
                throw error
            } catch {
                try connection.execute(script: "ROLLBACK TO SAVEPOINT delivery")
                try connection.execute("DELETE FROM mesh.handled WHERE subscriber = $1 AND event_id = $2", [subscriber, delivery.event.id])
                let giveUp = delivery.attempts >= retry.maxAttempts
                try connection.execute(
                    """
                    UPDATE mesh.deliveries
                    SET state = CASE WHEN $3 THEN 'dead' ELSE 'pending' END, lease_token = NULL,
                        available_at = now() + $4 * interval '1 millisecond', last_error = $5,
                        finished_at = CASE WHEN $3 THEN now() END
                    WHERE id = $1 AND lease_token = $2
                    """,
                    [
                        delivery.id, delivery.leaseToken, giveUp, Int(retry.delayMilliseconds(afterAttempt: delivery.attempts)),
                        String(String(describing: error).prefix(2000)),
                    ])
                outcomes[delivery.id] = .failed(error, dead: giveUp)
            }
        }
        let done = batch.filter { outcomes[$0.id] == nil }
        let marked = Set(
            try connection.query(
                """
                UPDATE mesh.deliveries d SET state = 'done', finished_at = now(), lease_token = NULL, last_error = NULL
                FROM unnest($1::bigint[], $2::uuid[]) AS held (id, token)
                WHERE d.id = held.id AND d.lease_token = held.token AND d.state = 'leased'
                RETURNING d.id
                """, [IntArray(done.map(\.id)), UUIDArray(done.map(\.leaseToken))]
            ).map { try $0.decode(Int.self, at: 0) })
        for delivery in done where !marked.contains(delivery.id) { outcomes[delivery.id] = .leaseLost }
        return outcomes
    }

    /// Gives back leases claimed but not yet handled, so another instance can take them at once.
    func release(_ deliveries: [Delivery]) async {
        guard !deliveries.isEmpty else { return }
        do {
            let released = try await pool.withConnection { connection in
                try connection.execute(
                    """
                    UPDATE mesh.deliveries SET state = 'pending', available_at = now(), lease_token = NULL,
                        attempts = greatest(attempts - 1, 0)
                    FROM unnest($1::bigint[], $2::uuid[]) AS held (id, token)
                    WHERE mesh.deliveries.id = held.id AND mesh.deliveries.lease_token = held.token
                      AND mesh.deliveries.state = 'leased'
                    """, [IntArray(deliveries.map(\.id)), UUIDArray(deliveries.map(\.leaseToken))])
            }
            logger.info("released leases on shutdown", metadata: ["count": "\(released)"])
        } catch {
            logger.warning("releasing leases failed", metadata: ["error": "\(error)"])
        }
    }
}

extension Metrics.Timer {
    func recordInterval(since start: Date) {
        recordNanoseconds(Int64(max(0, Date().timeIntervalSince(start)) * 1e9))
    }
}

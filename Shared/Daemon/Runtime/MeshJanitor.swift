import Logging
import Postgres
import ServiceLifecycle

/// Keeps the shared tables from growing without end: each daemon deletes its own finished work
/// older than the retention — done deliveries and their handled marks, delivered webhooks (their
/// attempts go with them) and inbound webhook ids long past the five-minute tolerance. Dead
/// deliveries stay, visible and replayable. In batches, so no statement holds locks for long.
public struct MeshJanitor: Service {
    let pool: PostgresPool
    let owner: String
    let keep: Duration
    let interval: Duration
    let batch: Int
    let logger: Logger

    public init(pool: PostgresPool, owner: String, keep: Duration, interval: Duration, batch: Int = 5000, logger: Logger) {
        self.pool = pool
        self.owner = owner
        self.keep = keep
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "pruning finished work failed") {
            let removed = try await prune()
            if removed > 0 { logger.info("pruned finished work", metadata: ["rows": "\(removed)"]) }
        }
    }

    static let statements = [
        """
        DELETE FROM mesh.deliveries WHERE id IN (
            SELECT id FROM mesh.deliveries WHERE subscriber = $1 AND state = 'done' AND finished_at < now() - $2 * interval '1 second' LIMIT $3)
        """,
        """
        DELETE FROM mesh.handled WHERE subscriber = $1 AND event_id IN (
            SELECT event_id FROM mesh.handled WHERE subscriber = $1 AND handled_at < now() - $2 * interval '1 second' LIMIT $3)
        """,
        """
        DELETE FROM mesh.webhook_deliveries WHERE id IN (
            SELECT id FROM mesh.webhook_deliveries WHERE owner = $1 AND state = 'delivered' AND delivered_at < now() - $2 * interval '1 second' LIMIT $3)
        """,
        """
        DELETE FROM mesh.inbound_webhooks WHERE receiver = $1 AND webhook_id IN (
            SELECT webhook_id FROM mesh.inbound_webhooks WHERE receiver = $1 AND received_at < now() - greatest($2, 86400) * interval '1 second' LIMIT $3)
        """,
    ]

    /// One pass; returns how many rows went.
    @discardableResult
    public func prune() async throws -> Int {
        var removed = 0
        for statement in Self.statements {
            while true {
                let count = try await pool.withConnection { [owner, keep, batch] in
                    try $0.execute(statement, [owner, Int(keep.components.seconds), batch])
                }
                removed += count
                if count < batch || Task.isShuttingDownGracefully { break }
            }
        }
        return removed
    }
}

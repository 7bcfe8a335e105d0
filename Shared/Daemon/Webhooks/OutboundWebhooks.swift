import EventBus
import HTTPClient
import Logging
import Postgres
import Webhooks

/// Every daemon's outbound webhooks, from its settings: the endpoints it manages and the dispatcher
/// that delivers its events to them.
struct OutboundWebhooks {
    let endpoints: WebhookEndpoints
    let dispatcher: WebhookDispatcher

    init(config: DaemonConfig, pool: PostgresPool, listener: PostgresListener, bus: EventBus, sealer: SecretSealer, logger: Logger) throws {
        let policy = AddressPolicy(allowedHosts: config.serviceList("GRIDMESH_WEBHOOK_ALLOW_HOSTS", default: ""))
        var settings = WebhookDispatcher.Settings(
            disableAfter: .milliseconds(try config.integer("GRIDMESH_WEBHOOK_DISABLE_AFTER_MS", default: 432_000_000, range: 1000...2_678_400_000)),
            pollInterval: config.pollInterval)
        if let text = config.environment["GRIDMESH_WEBHOOK_RETRY_SECONDS"], !text.isEmpty {
            let seconds = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !seconds.isEmpty, seconds.allSatisfy({ $0 >= 0 }) else {
                throw ConfigError(variable: "GRIDMESH_WEBHOOK_RETRY_SECONDS", message: "expected comma-separated seconds, got \(text)")
            }
            settings.retry = RetryPolicy(schedule: seconds.map { .seconds($0) })
        }
        let client = MultiClient(
            limits: .init(
                totalConnections: try config.integer("GRIDMESH_WEBHOOK_MAX_CONNECTIONS", default: 64, range: 1...1024),
                connectionsPerHost: try config.integer("GRIDMESH_WEBHOOK_HOST_CONNECTIONS", default: 4, range: 1...256)),
            name: "webhooks")
        endpoints = WebhookEndpoints(owner: config.name, policy: policy, sealer: sealer)
        dispatcher = WebhookDispatcher(
            owner: config.name, pool: pool, listener: listener, bus: bus, client: client, policy: policy, sealer: sealer, settings: settings,
            logger: logger)
    }
}

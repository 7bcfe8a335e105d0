import EventBus
import Logging
import Postgres
import ServiceLifecycle
import Webhooks

/// What makes a daemon itself: its name, its schema and how it wires routes, handlers and services.
public struct DaemonDefinition: Sendable {
    public let name: String
    public let title: String
    public let summary: String
    public let defaultPort: Int
    /// The schema the daemon owns and the version of it the daemon's code expects.
    public let schema: String
    public let schemaVersion: Int
    public let configure: @Sendable (DaemonSetup) throws -> Void
    /// The JWKS a daemon verifies tokens against when it holds the keys itself (authd), instead of
    /// a file or a URL.
    public let ownKeys: (@Sendable (DaemonConfig) throws -> String)?
    /// Whether the daemon counts deadlines in working days, and so watches the holiday calendar.
    public let countsWorkingDays: Bool
    /// Whether the daemon streams its own events to live feeds (patrold's board): its bus then
    /// announces each commit on its live channel, and its listener hears it.
    public let announcesLive: Bool

    public init(
        name: String, title: String, summary: String, defaultPort: Int, schema: String, schemaVersion: Int,
        ownKeys: (@Sendable (DaemonConfig) throws -> String)? = nil, countsWorkingDays: Bool = true,
        announcesLive: Bool = false, configure: @escaping @Sendable (DaemonSetup) throws -> Void
    ) {
        self.ownKeys = ownKeys
        self.countsWorkingDays = countsWorkingDays
        self.announcesLive = announcesLive
        self.name = name
        self.title = title
        self.summary = summary
        self.defaultPort = defaultPort
        self.schema = schema
        self.schemaVersion = schemaVersion
        self.configure = configure
    }
}

/// What a daemon's `configure` gets to wire itself up. Used only during start-up, on one task.
public final class DaemonSetup: @unchecked Sendable {
    public let config: DaemonConfig
    public let pool: PostgresPool
    public let listener: PostgresListener
    public let bus: EventBus
    public let logger: Logger
    public let routes: APIRoutes
    /// For routes that authenticate on their own (e.g. Open311's `api_key`).
    public let verifier: TokenVerifier
    /// Opens the webhook and callback secrets stored sealed in the database.
    public let sealer: SecretSealer
    public var handlers = EventHandlers()
    public var services: [any Service] = []

    init(
        config: DaemonConfig, pool: PostgresPool, listener: PostgresListener, routes: APIRoutes, verifier: TokenVerifier, sealer: SecretSealer,
        announcesLive: Bool, logger: Logger
    ) {
        self.verifier = verifier
        self.sealer = sealer
        self.config = config
        self.pool = pool
        self.listener = listener
        self.bus = EventBus(source: config.name, listener: listener, announcesLive: announcesLive)
        self.routes = routes
        self.logger = logger
    }
}

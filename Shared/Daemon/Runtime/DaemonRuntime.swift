import EventBus
import Foundation
import GridCore
import HTTPClient
import Hummingbird
import Logging
import Metrics
import NIOCore
import Postgres
import Prometheus
import ServiceLifecycle
import Webhooks

/// Starts a daemon: config, logging, metrics, the pool and listener, the schema check, routes,
/// the bus consumer, sd_notify and graceful shutdown on SIGTERM.
public enum DaemonRuntime {
    /// The entry point of a daemon executable: runs until SIGTERM and exits non-zero on failure.
    public static func main(_ definition: DaemonDefinition) async {
        do {
            let config = try DaemonConfig.fromEnvironment(name: definition.name, defaultPort: definition.defaultPort)
            JournalLogHandler.bootstrap(level: config.logLevel)
            try await run(definition, config: config)
        } catch {
            FileHandle.standardError.write(Data("<3>\(definition.name): cannot start: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs the daemon until a graceful shutdown. `onReady` gets the bound port once the server
    /// listens and the database is ready (tests bind port 0).
    public static func run(
        _ definition: DaemonDefinition, config: DaemonConfig, signals: Bool = true,
        onReady: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let logger = Logger(label: definition.name)
        let registry = MetricsRegistry.shared
        BodyLimit.bytes.store(config.maxBodyBytes, ordering: .relaxed)
        let notifier = SystemdNotifier()
        if let shifted = config.clock as? ShiftedWallClock {
            logger.warning("the mesh clock is shifted by GRIDMESH_CLOCK_FILE: for tests and demos only", metadata: ["file": "\(shifted.file)"])
        }

        let pool = PostgresPool(config.poolConfiguration, logger: logger)
        defer { pool.close() }
        try await waitForSchema(definition, pool: pool, logger: logger)

        let revocations = SessionRevocations()
        let verifier = try await tokenVerifier(definition, config: config, revocations: revocations, logger: logger)

        let listener = PostgresListener(
            .init(
                conninfo: config.database,
                channels: [wakeChannel(for: definition.name), webhookChannel(for: definition.name), SessionRevocations.channel]
                    + (definition.announcesLive ? [liveChannel(for: definition.name)] : [])),
            logger: logger)
        listener.start()
        defer { listener.shutdown() }
        let revocationWatch = RevocationWatch(revocations: revocations, pool: pool, listener: listener, logger: logger)
        try await revocationWatch.reload()

        let router = Router(context: DaemonRequestContext.self)
        router.add(middleware: RequestMiddleware())
        let routes = APIRoutes(router: router, verifier: verifier)
        let sealer = try SecretSealer.load(environment: config.environment)
        let setup = DaemonSetup(
            config: config, pool: pool, listener: listener, routes: routes, verifier: verifier, sealer: sealer,
            announcesLive: definition.announcesLive, logger: logger)
        try definition.configure(setup)
        let webhooks = try OutboundWebhooks(config: config, pool: pool, listener: listener, bus: setup.bus, sealer: sealer, logger: logger)
        WebhookRoutes.register(on: routes, endpoints: webhooks.endpoints, pool: pool)
        AuditRoutes.register(on: routes, pool: pool, chain: definition.name, clock: config.clock)
        StandardEndpoints.register(on: router, definition: definition, routes: routes, pool: pool, listener: listener, registry: registry)

        let consumer = BusConsumer(
            pool: pool, listener: listener, handlers: setup.handlers,
            configuration: .init(subscriber: definition.name, leaseDuration: config.leaseDuration, pollInterval: config.pollInterval),
            logger: logger)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: definition.name),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                logger.info("listening", metadata: ["address": "\(config.host):\(port)"])
                notifier.ready(status: "listening on \(config.host):\(port)")
                onReady(port)
            },
            logger: logger)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app),
            .init(service: consumer),
            .init(service: webhooks.dispatcher),
            .init(service: revocationWatch),
            .init(
                service: MeshJanitor(
                    pool: pool, owner: definition.name,
                    keep: .seconds(try config.integer("GRIDMESH_KEEP_DONE_DAYS", default: 30, range: 1...3650) * 86400),
                    interval: .milliseconds(try config.integer("GRIDMESH_PRUNE_MS", default: 3_600_000, range: 1000...86_400_000)), logger: logger)),
            .init(service: ShutdownNotice(notifier: notifier, logger: logger), successTerminationBehavior: .ignore),
        ]
        if definition.countsWorkingDays {
            services.append(
                .init(
                    service: CalendarWatch(
                        pool: pool, clock: config.clock, timeZone: TimeZone(identifier: config.timeZone) ?? .current,
                        interval: .milliseconds(try config.integer("GRIDMESH_CALENDAR_CHECK_MS", default: 3_600_000, range: 1000...86_400_000)),
                        logger: logger)))
        }
        services += setup.services.map { .init(service: $0) }
        if let interval = SystemdNotifier.watchdogInterval() {
            services.append(.init(service: Watchdog(notifier: notifier, interval: interval)))
        }
        var group = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [], cancellationSignals: [], logger: logger)
        group.maximumGracefulShutdownDuration = config.shutdownTimeout
        try await ServiceGroup(configuration: group).run()
        logger.info("stopped")
    }

    /// The daemon's token verifier: its own keys (authd), a JWKS file, or authd's (or an OIDC
    /// provider's) JWKS URL, fetched now if it answers and again on an unknown key.
    static func tokenVerifier(_ definition: DaemonDefinition, config: DaemonConfig, revocations: SessionRevocations, logger: Logger) async throws
        -> TokenVerifier
    {
        let source: TokenVerifier.KeySource
        if let ownKeys = definition.ownKeys {
            source = .jwks(try ownKeys(config))
        } else if let file = config.tokenKeysFile {
            guard let jwks = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigError(variable: "GRIDMESH_TOKEN_KEYS_FILE", message: "cannot read \(file)")
            }
            source = .jwks(jwks)
        } else if let url = config.tokenJWKSURL {
            source = .url(url) { try await fetchJSON($0) }
        } else {
            throw ConfigError(
                variable: "GRIDMESH_TOKEN_KEYS_FILE", message: "set a JWKS file of token verification keys, GRIDMESH_TOKEN_JWKS_URL or GRIDMESH_AUTHD_URL")
        }
        let outside = try OutsideIssuer.fromEnvironment(config.environment).map { issuer in
            (
                issuer: issuer,
                keys: TokenVerifier.KeySource.url(issuer.jwksURL ?? issuer.discoveryURL) { url in
                    guard issuer.jwksURL == nil else { return try await fetchJSON(url) }
                    return try await fetchJSON(try issuer.jwksURI(fromDiscovery: try await fetchJSON(url)))
                }
            )
        }
        let verifier = try await TokenVerifier(
            source: source, issuer: config.tokenIssuer, audience: definition.name, revocations: revocations, outside: outside)
        do { try await verifier.refresh() } catch { logger.warning("token keys not fetched yet", metadata: ["error": "\(error)"]) }
        return verifier
    }

    private static let keyClient = HTTPClient(threads: 1)

    /// A JSON document of keys or metadata, which must come with 200.
    static func fetchJSON(_ url: String) async throws -> String {
        let response = try await keyClient.getJSON(url)
        guard response.status == 200 else { throw TokenError(message: "\(url) answered \(response.status)") }
        return response.text
    }

    /// Waits (up to about ten seconds) for the database, then refuses to start if the daemon's
    /// schema is behind the code.
    static func waitForSchema(_ definition: DaemonDefinition, pool: PostgresPool, logger: Logger) async throws {
        var attempt = 0
        while true {
            do {
                let schema = definition.schema
                let (applied, mesh) = try await pool.withConnection {
                    (try Migrator.appliedVersion(of: schema, on: $0), try Migrator.appliedVersion(of: "mesh", on: $0))
                }
                guard applied >= definition.schemaVersion else {
                    throw SchemaBehind(schema: schema, applied: applied, expected: definition.schemaVersion)
                }
                guard mesh >= MeshSchema.version else { throw SchemaBehind(schema: "mesh", applied: mesh, expected: MeshSchema.version) }
                return
            } catch let error as PostgresError where error.isConnectionLoss && attempt < 20 {
                attempt += 1
                logger.warning("database not reachable yet", metadata: ["error": "\(error.message)"])
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    public struct SchemaBehind: Error, CustomStringConvertible {
        public let schema: String
        public let applied: Int
        public let expected: Int
        public var description: String {
            "schema \(schema) is at version \(applied) but this build needs \(expected): run `gridctl migrate` first"
        }
    }
}

/// Says STOPPING=1 to systemd as soon as a graceful shutdown starts.
struct ShutdownNotice: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        do { try await gracefulShutdown() } catch { return }
        logger.info("shutting down")
        notifier.stopping()
    }
}

/// Pings systemd's watchdog at half the interval it asked for.
struct Watchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            try? await Task.sleep(for: interval / 2)
        }
    }
}

/// One Prometheus registry per process, bootstrapped into swift-metrics once.
public enum MetricsRegistry {
    public static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

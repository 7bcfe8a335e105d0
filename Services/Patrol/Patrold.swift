import Daemon
import Foundation
import GridCore
import PersonalData

/// patrold: grid patrols, the findings closed loop.
public enum Patrold {
    public static let definition = DaemonDefinition(
        name: "patrold", title: "GridMesh patrold",
        summary:
            "Grid patrols: grid workers submit findings and clues; findings go through the closed loop of triage, dispatch, handling, verification and feedback.",
        defaultPort: 8081, schema: "patrol", schemaVersion: PatrolSchema.version,
        announcesLive: true
    ) { setup in
        let clock = setup.config.clock
        let timeZone = TimeZone(identifier: setup.config.timeZone)!
        let rule = HotspotDetector.Rule(
            gridThreshold: try setup.config.integer("GRIDMESH_HOTSPOT_GRID_THRESHOLD", default: 3, range: 2...1000),
            communityThreshold: try setup.config.integer("GRIDMESH_HOTSPOT_COMMUNITY_THRESHOLD", default: 5, range: 2...1000),
            window: .seconds(try setup.config.integer("GRIDMESH_HOTSPOT_WINDOW_HOURS", default: 168, range: 1...24 * 90) * 3600))
        let findings = FindingStore(
            pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone, auditChain: setup.config.name, hotspots: HotspotDetector(rule: rule))
        CatalogueRoutes.register(on: setup.routes, pool: setup.pool)
        MapRoutes.register(on: setup.routes, pool: setup.pool)
        let live = LiveFeed(pool: setup.pool, listener: setup.listener, logger: setup.logger)
        setup.services.append(live)
        LiveRoutes.register(on: setup.routes, feed: live, revocations: setup.verifier.revocations)
        PatrolRoutes.register(on: setup.routes, store: PatrolStore(pool: setup.pool, clock: clock))
        FindingRoutes.register(on: setup.routes, store: findings)
        FeedbackRoutes.register(on: setup.routes, store: findings)
        AnalysisRoutes.register(on: setup.routes, store: findings)
        AssessmentRoutes.register(on: setup.routes, store: findings)
        let photos = PhotoStore(
            pool: setup.pool, clock: clock, directory: setup.config.dataDirectory,
            maxBytes: try setup.config.integer("GRIDMESH_PHOTO_MAX_BYTES", default: 5 << 20, range: 1024...(64 << 20)))
        PhotoRoutes.register(on: setup.routes, photos: photos, findings: findings)
        CallbackRoutes.register(on: setup.routes, store: findings, receiver: setup.config.name, sealer: setup.sealer)
        let open311Keys = Open311Keys(pool: setup.pool, clock: SystemWallClock(), chain: setup.config.name)
        Open311Routes.register(
            on: setup.routes, store: findings, verifier: setup.verifier, keys: open311Keys,
            jurisdiction: setup.config.environment["GRIDMESH_JURISDICTION"] ?? "wuchang")
        Open311KeyRoutes.register(on: setup.routes, keys: open311Keys)
        VisitRoutes.register(on: setup.routes, visits: VisitRequests(pool: setup.pool, bus: setup.bus, clock: clock))
        ClueRoutes.register(on: setup.routes, ledger: ClueLedger(pool: setup.pool, bus: setup.bus, clock: clock, chain: setup.config.name))
        let lookupKey = try? PersonalDataKeys.loadLookup(environment: setup.config.environment)
        if lookupKey == nil { setup.logger.warning("no lookup key (GRIDMESH_LOOKUP_KEY_FILE): persons named in clues cannot be matched for vettingd") }
        CluePersonRoutes.register(
            on: setup.routes,
            persons: CluePersons(
                pool: setup.pool, clock: clock, chain: setup.config.name, lookupKey: lookupKey,
                clients: setup.config.serviceList("GRIDMESH_CLUE_CHECK_CLIENTS", default: "svc-vettingd")))
        let interval = try setup.config.integer("GRIDMESH_SUPERVISION_MS", default: 30_000, range: 10...3_600_000)
        setup.services.append(
            OverdueSupervisor(pool: setup.pool, bus: setup.bus, clock: clock, interval: .milliseconds(interval), logger: setup.logger))
    }
}

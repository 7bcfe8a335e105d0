import Daemon
import Foundation
import GridCore
import HTTPClient
import PersonalData

/// reentryd: one-on-one supervision of people under community correction or released from prison.
public enum Reentryd {
    public static let definition = DaemonDefinition(
        name: "reentryd", title: "GridMesh reentryd",
        summary:
            "Reentry supervision: cases, contact standards, overdue escalation, responsibility review, retention. Personal data sealed; case refs outside.",
        defaultPort: 8083, schema: "reentry", schemaVersion: ReentrySchema.version
    ) { setup in
        let config = setup.config
        let keys = try PersonalDataKeys.load(environment: config.environment)
        let clock = setup.config.clock
        let timeZone = TimeZone(identifier: config.timeZone)!
        let policy = SupervisionPolicy(
            graceDays: try config.integer("GRIDMESH_REENTRY_GRACE_DAYS", default: 3, range: 0...60),
            reassessmentMonths: try config.integer("GRIDMESH_REENTRY_REASSESS_MONTHS", default: 3, range: 1...24),
            retentionDays: try config.integer("GRIDMESH_REENTRY_RETENTION_DAYS", default: 1826, range: 0...36_500),
            purgeBatch: try config.integer("GRIDMESH_REENTRY_PURGE_BATCH", default: 100, range: 1...10_000))
        let store = CaseStore(pool: setup.pool, bus: setup.bus, clock: clock, keys: keys, timeZone: timeZone, chain: config.name, policy: policy)
        CaseRoutes.register(on: setup.routes, store: store)
        CaseChangeRoutes.register(on: setup.routes, store: store)
        SupervisionRoutes.register(
            on: setup.routes, store: store, standards: StandardStore(pool: setup.pool, clock: clock, timeZone: timeZone, chain: config.name))
        let clients = Set(
            (config.environment["GRIDMESH_REGISTRY_CLIENTS"] ?? "svc-vettingd").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        RegistryRoutes.register(on: setup.routes, registry: RegistryCheck(pool: setup.pool, clock: clock, chain: config.name, clients: clients))
        VisitReports.register(&setup.handlers, bus: setup.bus, policy: policy, clock: clock, timeZone: timeZone)
        setup.services.append(
            CaseSweep(
                store: store, interval: .milliseconds(try config.integer("GRIDMESH_SUPERVISION_MS", default: 60_000, range: 10...3_600_000)),
                logger: setup.logger))
        setup.services.append(
            RetentionSchedule(
                purge: RetentionPurge(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone, chain: config.name, policy: policy),
                interval: .milliseconds(try config.integer("GRIDMESH_RETENTION_MS", default: 3_600_000, range: 10...86_400_000)), logger: setup.logger))
        if let patrold = config.peers["patrold"] {
            let http = HTTPClient(threads: 2)
            setup.services.append(
                VisitRequester(
                    pool: setup.pool, http: http, patroldURL: patrold, tokens: try config.serviceTokens(calling: "patrold", http: http), logger: setup.logger,
                    interval: .milliseconds(try config.integer("GRIDMESH_VISIT_REQUEST_MS", default: 1000, range: 10...60_000))))
        } else {
            setup.logger.warning("GRIDMESH_PATROLD_URL is not set: escalated cases' visit requests will wait until it is")
        }
    }
}

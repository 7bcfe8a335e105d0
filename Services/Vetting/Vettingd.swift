import Daemon
import Foundation
import GridCore
import HTTPClient
import PersonalData

/// vettingd: vetting before community committee elections.
public enum Vettingd {
    public static let definition = DaemonDefinition(
        name: "vettingd", title: "GridMesh vettingd",
        summary: "Committee election vetting: four gates with two-person sign-off, candidate screening with hit/no-hit cross-checks, the readiness board.",
        defaultPort: 8084, schema: "vetting", schemaVersion: VettingSchema.version
    ) { setup in
        let config = setup.config
        let keys = try PersonalDataKeys.load(environment: config.environment)
        let clock = setup.config.clock
        let timeZone = TimeZone(identifier: config.timeZone)!
        let cycles = CycleStore(pool: setup.pool, bus: setup.bus, clock: clock, chain: config.name)
        let candidates = CandidateStore(
            pool: setup.pool, bus: setup.bus, clock: clock, keys: keys, timeZone: timeZone, chain: config.name,
            responseWorkingDays: try config.integer("GRIDMESH_VETTING_RESPONSE_DAYS", default: 5, range: 1...60),
            nominationsPerDay: try config.integer("GRIDMESH_VETTING_NOMINATIONS_PER_DAY", default: 40, range: 1...10_000))
        CycleRoutes.register(on: setup.routes, store: cycles)
        CandidateRoutes.register(on: setup.routes, store: candidates)
        var peers: [String: String] = [:]
        if let reentryd = config.peers["reentryd"] { peers["reentry_registry"] = reentryd }
        if let patrold = config.peers["patrold"] { peers["clue_ledger"] = patrold }
        if peers.count < 2 {
            setup.logger.warning("GRIDMESH_REENTRYD_URL or GRIDMESH_PATROLD_URL is not set: those cross-checks wait until it is")
        }
        if !peers.isEmpty {
            let http = HTTPClient(threads: 2)
            setup.services.append(
                CrossChecker(
                    store: candidates, http: http, peers: peers, tokens: try config.serviceTokens(calling: "reentryd and patrold", http: http),
                    interval: .milliseconds(try config.integer("GRIDMESH_CROSS_CHECK_MS", default: 1000, range: 10...60_000)), logger: setup.logger))
        }
    }
}

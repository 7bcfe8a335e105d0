import Daemon
import Foundation
import GridCore
import HTTPClient

/// meetingd: the street coordination meetings of the five agency heads.
public enum Meetingd {
    public static let definition = DaemonDefinition(
        name: "meetingd", title: "GridMesh meetingd",
        summary: "Coordination meetings of the five agency heads per street; hears of findings through the event bus.",
        defaultPort: 8082, schema: "meeting", schemaVersion: MeetingSchema.version
    ) { setup in
        FindingIntake.register(&setup.handlers)
        AgendaSources.register(&setup.handlers)
        LinkedFindingUpdates.register(&setup.handlers)
        IntakeRoutes.register(on: setup.routes, pool: setup.pool)
        let clock = setup.config.clock
        let timeZone = TimeZone(identifier: setup.config.timeZone)!
        let store = MeetingStore(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone)
        ScheduleRoutes.register(on: setup.routes, store: store)
        CalendarRoutes.register(
            on: setup.routes, store: store, feeds: CalendarFeeds(pool: setup.pool, clock: clock, chain: setup.config.name),
            publicURL: setup.config.environment["GRIDMESH_PUBLIC_URL"])
        MeetingRoomRoutes.register(on: setup.routes, store: store)
        CallbackRoutes.register(on: setup.routes, store: store, receiver: setup.config.name, sealer: setup.sealer)
        if let patrold = setup.config.peers["patrold"] {
            let http = HTTPClient(threads: 2)
            setup.services.append(
                PatrolRequester(
                    pool: setup.pool, http: http, patroldURL: patrold, tokens: try setup.config.serviceTokens(calling: "patrold", http: http),
                    logger: setup.logger,
                    interval: .milliseconds(try setup.config.integer("GRIDMESH_PATROL_REQUEST_MS", default: 1000, range: 10...60_000))))
        } else {
            setup.logger.warning("GRIDMESH_PATROLD_URL is not set: action items' linked findings will wait until it is")
        }
        let rectifications = Rectifications(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone)
        RectificationRoutes.register(on: setup.routes, rectifications: rectifications)
        setup.services.append(
            ActionItemSupervisor(
                store: store, rectifications: rectifications,
                interval: .milliseconds(try setup.config.integer("GRIDMESH_SUPERVISION_MS", default: 60_000, range: 10...3_600_000)),
                logger: setup.logger))
        let bulletins = BulletinPublisher(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone)
        BulletinRoutes.register(on: setup.routes, publisher: bulletins, timeZone: timeZone)
        setup.services.append(
            BulletinSchedule(
                publisher: bulletins, interval: .milliseconds(try setup.config.integer("GRIDMESH_BULLETIN_MS", default: 300_000, range: 10...3_600_000)),
                logger: setup.logger))
        setup.services.append(SeriesExtender(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone, logger: setup.logger))
    }
}

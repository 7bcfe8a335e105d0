import Daemon
import Foundation
import GridCore

/// meetingd: the street coordination meetings of the five agency heads.
public enum Meetingd {
    public static let definition = DaemonDefinition(
        name: "meetingd", title: "GridMesh meetingd",
        summary: "Coordination meetings of the five agency heads per street; hears of findings through the event bus.",
        defaultPort: 8082, schema: "meeting", schemaVersion: MeetingSchema.version
    ) { setup in
        FindingIntake.register(&setup.handlers)
        AgendaSources.register(&setup.handlers)
        IntakeRoutes.register(on: setup.routes, pool: setup.pool)
        let clock = SystemWallClock()
        let timeZone = TimeZone(identifier: setup.config.timeZone)!
        let store = MeetingStore(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone)
        ScheduleRoutes.register(on: setup.routes, store: store, verifier: setup.verifier)
        MeetingRoomRoutes.register(on: setup.routes, store: store)
        setup.services.append(SeriesExtender(pool: setup.pool, bus: setup.bus, clock: clock, timeZone: timeZone, logger: setup.logger))
    }
}

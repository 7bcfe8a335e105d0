import Daemon
import EventBus
import Foundation
import GridCore
import Logging
import Postgres
import ServiceLifecycle

/// Keeps every series' meetings created eight weeks ahead, hourly; several meetingd instances
/// share the work (rows are claimed with SKIP LOCKED).
struct SeriesExtender: Service {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: .seconds(3600), logger: logger, failure: "extending series failed") {
            try await extendAll()
        }
    }

    func extendAll() async throws {
        let now = clock.now()
        let horizon = MeetingStore.horizon(from: now, timeZone: timeZone)
        let (bus, timeZone) = (bus, timeZone)
        try await pool.transaction { connection in
            let due = try connection.query(
                "SELECT id FROM meeting.series WHERE generated_until < $1 FOR UPDATE SKIP LOCKED", [horizon]
            ).map { try $0.decode(UUID.self, at: 0) }
            for id in due { try MeetingStore.extend(series: id, until: horizon, now: now, timeZone: timeZone, bus: bus, on: connection) }
        }
    }
}

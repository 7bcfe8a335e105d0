import Foundation
import GridCore
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Warns while the holiday calendar lacks a year deadlines will count on: the current year always,
/// the coming one from 1 December (the State Council publishes its arrangement in the autumn).
/// Without it every holiday of that year counts as a working day. A log line, the gauge
/// `gridmesh_calendar_missing_years` (an alert rule watches it) — until `gridctl calendar import`.
struct CalendarWatch: Service {
    let pool: PostgresPool
    let clock: any WallClock
    let timeZone: TimeZone
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let gauge = Gauge(label: "gridmesh_calendar_missing_years")
        await repeatUntilShutdown(every: interval, logger: logger, failure: "checking the holiday calendar failed") {
            let missing = try await missingYears()
            gauge.record(missing.count)
            if !missing.isEmpty {
                logger.warning(
                    "the holiday calendar has no arrangement for \(missing.map(String.init).joined(separator: ", ")): holidays there count as working days; import the State Council's notice with `gridctl calendar import`"
                )
            }
        }
    }

    /// The years deadlines may reach today that have no imported arrangement.
    func missingYears() async throws -> [Int] {
        let today = WorkingCalendar(timeZone: timeZone).day(of: clock.now())
        let needed = Self.yearsNeeded(on: today)
        let present = try await pool.query("SELECT year FROM geo.calendar_years WHERE year = ANY($1::int[])", [needed.map(String.init)]).map {
            try $0.decode(Int.self, at: 0)
        }
        return needed.filter { !present.contains($0) }
    }

    /// This year, and from 1 December the next.
    static func yearsNeeded(on day: CalendarDate) -> [Int] { day.month == 12 ? [day.year, day.year + 1] : [day.year] }
}

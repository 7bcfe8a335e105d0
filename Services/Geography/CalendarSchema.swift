import EventBus
import Foundation
import GridCore
import Postgres

/// The district's holiday calendar: weekdays that are holidays and weekend days that are working
/// days (调休). Deadlines in working days count on it; `gridctl calendar` maintains it.
public enum CalendarSchema {
    public static let migration = Migration(
        schema: "geo", version: 2, name: "holiday calendar",
        sql: """
            CREATE TABLE geo.calendar_days (
                day date PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
                name_zh text NOT NULL
            );
            GRANT SELECT ON geo.calendar_days TO \(MeshSchema.daemonRoles.joined(separator: ", "));
            """)

    /// The calendar as the deadline computations use it.
    public static func load(on connection: PostgresConnection, timeZone: TimeZone) throws -> WorkingCalendar {
        var holidays: Set<CalendarDate> = []
        var workdays: Set<CalendarDate> = []
        for row in try connection.query("SELECT day, kind FROM geo.calendar_days") {
            let day = try row.decode(CalendarDate.self, at: 0)
            if try row.decode(String.self, at: 1) == "holiday" { holidays.insert(day) } else { workdays.insert(day) }
        }
        return WorkingCalendar(holidays: holidays, workdays: workdays, timeZone: timeZone)
    }
}

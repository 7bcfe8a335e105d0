import EventBus
import Foundation
import GridCore
import Postgres

/// The district's holiday calendar: weekdays that are holidays and weekend days that are working
/// days (调休). Deadlines in working days count on it; `gridctl calendar import` keeps it, one
/// year's arrangement at a time (`geo.calendar_years` says which years are in).
public enum CalendarSchema {
    public static let migration = Migration(
        schema: "geo", version: 2, name: "holiday calendar",
        sql: """
            CREATE TABLE geo.calendar_days (
                day date PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
                name_zh text NOT NULL
            );
            GRANT SELECT ON geo.calendar_days TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
            """)

    public static let yearsMigration = Migration(
        schema: "geo", version: 3, name: "calendar years",
        sql: """
            -- Which years' arrangements are in, from which text: a daemon warns from 1 December
            -- while the coming year is missing.
            CREATE TABLE geo.calendar_years (
                year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
                source_sha256 text NOT NULL,
                days int NOT NULL,
                imported_at timestamptz NOT NULL,
                imported_by text NOT NULL
            );
            ALTER TABLE geo.calendar_days ADD COLUMN arrangement_year int REFERENCES geo.calendar_years (year);
            GRANT SELECT ON geo.calendar_years TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
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

    /// What an import did.
    public enum ImportOutcome: Equatable, Sendable {
        /// The same text was imported before: nothing changed.
        case unchanged
        /// The year's days were set; `replaced` counts the days an earlier import of the year had.
        case imported(days: Int, replaced: Int)
    }

    /// Sets `arrangement.year`'s days to exactly those of the arrangement, inside the caller's
    /// transaction, under a lock so two imports do not interleave. Importing the same text again
    /// changes nothing; a corrected text replaces the year's earlier days.
    public static func importYear(
        _ arrangement: HolidayArrangement, sourceSHA256: String, by operator: String, at now: Date, on connection: PostgresConnection
    ) throws -> ImportOutcome {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext('geo.calendar_years'))")
        let previous = try connection.query("SELECT source_sha256 FROM geo.calendar_years WHERE year = $1", [arrangement.year]).first
        if try previous?.decode(String.self, at: 0) == sourceSHA256 { return .unchanged }
        try connection.execute(
            """
            INSERT INTO geo.calendar_years (year, source_sha256, days, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (year) DO UPDATE SET source_sha256 = $2, days = $3, imported_at = $4, imported_by = $5
            """, [arrangement.year, sourceSHA256, arrangement.days.count, now, `operator`])
        // the year's earlier days, and any loose row (from before years were tracked) on a day it names
        let replaced = try connection.execute(
            "DELETE FROM geo.calendar_days WHERE arrangement_year = $1 OR (arrangement_year IS NULL AND day = ANY($2::date[]))",
            [arrangement.year, arrangement.days.map(\.day.description)])
        for day in arrangement.days {
            let taken = try connection.query(
                """
                INSERT INTO geo.calendar_days (day, kind, name_zh, arrangement_year) VALUES ($1, $2, $3, $4)
                ON CONFLICT (day) DO NOTHING RETURNING day
                """, [day.day, day.kind.rawValue, day.name, arrangement.year])
            guard taken.count == 1 else { throw CalendarConflict(day: day.day) }
        }
        return .imported(days: arrangement.days.count, replaced: replaced)
    }

    /// A day another year's arrangement already names (a December day both notices claim).
    public struct CalendarConflict: Error, CustomStringConvertible {
        public let day: CalendarDate
        public var description: String { "\(day) is already named by another year's arrangement" }
    }

    /// One year's arrangement as stored, for `gridctl calendar show`.
    public static func arrangement(year: Int, on connection: PostgresConnection) throws -> HolidayArrangement? {
        let days = try connection.query(
            "SELECT day, kind, name_zh FROM geo.calendar_days WHERE arrangement_year = $1 OR (arrangement_year IS NULL AND extract(year FROM day) = $1)",
            [year]
        ).map { row in
            HolidayArrangement.Day(
                day: try row.decode(at: 0), kind: HolidayArrangement.Kind(rawValue: try row.decode(String.self, at: 1)) ?? .holiday,
                name: try row.decode(at: 2))
        }
        return days.isEmpty ? nil : HolidayArrangement(year: year, days: days)
    }
}

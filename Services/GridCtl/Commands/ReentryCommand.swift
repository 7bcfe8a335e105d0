import ArgumentParser
import Foundation
import GridCore
import Postgres

/// `gridctl reentry retention`: what the retention purge will destroy and when — case refs and
/// dates only.
struct ReentryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reentry", abstract: "Reentry supervision data.", subcommands: [Retention.self])

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention", abstract: "Report closed cases whose personal data is due for purge, those on legal hold, and past destructions.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "Retention in days after a case ends (as reentryd's GRIDMESH_REENTRY_RETENTION_DAYS).")
        var days = 1826

        @Option(name: .long, help: "Look this many days ahead for cases becoming due.")
        var ahead = 30

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let today = WorkingCalendar().day(of: ShiftedWallClock.fromEnvironment().now())
            let rows = try connection.query(
                """
                SELECT case_ref, ends_on, ends_on + $1::int AS purge_after, legal_hold FROM reentry.cases
                WHERE state = 'closed' AND ends_on + $1::int < $2::date + $3::int ORDER BY ends_on, case_ref
                """, [days, today, ahead])
            var due = 0
            var held = 0
            print("case_ref\tends_on\tpurge_after\tstatus")
            for row in rows {
                let hold: Bool = try row.decode(at: 3)
                let after: CalendarDate = try row.decode(at: 2)
                let status = hold ? "legal hold" : after < today ? "due now" : "due \(after.adding(days: 1))"
                if hold { held += 1 } else if after < today { due += 1 }
                print("\(try row.decode(String.self, at: 0))\t\(try row.decode(CalendarDate.self, at: 1))\t\(after)\t\(status)")
            }
            let destroyed = try connection.query("SELECT count(*)::int, max(purged_at) FROM reentry.destructions").first!
            print(
                "\(due) due now, \(held) on legal hold, \(rows.count - due - held) due within \(ahead) days; \(try destroyed.decode(Int.self, at: 0)) destroyed so far"
                    + ((try destroyed.decode(Date?.self, at: 1)).map { ", last at \(RFC3339.format($0))" } ?? ""))
        }
    }
}

import ArgumentParser
import Audit
import Foundation
import Geography
import GridCore
import Postgres

/// `gridctl calendar`: the district's holiday calendar, one year's State Council arrangement at a
/// time. Deadlines in working days, contact windows and due dates count on it; every daemon warns
/// from 1 December while the coming year is missing.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The holiday calendar: import a year's arrangement, show one, list the years.",
        subcommands: [Import.self, Show.self, Years.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import one year's holidays and make-up working days (the format: deploy/README.md, or `gridctl calendar show`).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The arrangement's text file; - reads standard input.") var file: String
        @Option(name: .long, help: "Who imports it, for the audit log (default: $SUDO_USER, else $USER).") var by: String?

        func run() async throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ValidationError("cannot read \(file): \(error)") }
            }
            let arrangement: HolidayArrangement
            do { arrangement = try HolidayArrangement(parsing: text) } catch { throw ValidationError("\(file): \(error)") }
            let environment = ProcessInfo.processInfo.environment
            let actor = by ?? environment["SUDO_USER"] ?? environment["USER"] ?? "operator"
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let now = Date()
            let digest = HolidayArrangement.sourceDigest(text)
            let outcome = try connection.transaction {
                let outcome = try CalendarSchema.importYear(arrangement, sourceSHA256: digest, by: actor, at: now, on: $0)
                if case .imported(let days, let replaced) = outcome {
                    try AuditLog.append(
                        chain: "gridctl", actor: Principal(subject: actor, role: .admin, scope: .district), action: "calendar.import",
                        target: "calendar:\(arrangement.year)", reason: "\(days) days (replacing \(replaced)), sha256 \(digest.prefix(16))", at: now, on: $0)
                }
                return outcome
            }
            switch outcome {
            case .unchanged: print("\(arrangement.year): unchanged (this text was imported before)")
            case .imported(let days, let replaced):
                let holidays = arrangement.days.filter { $0.kind == .holiday }.count
                print("\(arrangement.year): \(days) days imported (\(holidays) holidays, \(days - holidays) make-up working days), \(replaced) replaced")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a year's arrangement in the import format.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The year.") var year: Int

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            guard let arrangement = try CalendarSchema.arrangement(year: year, on: connection) else {
                throw ValidationError("no calendar for \(year): import the State Council's arrangement with `gridctl calendar import FILE`")
            }
            print(arrangement.text, terminator: "")
        }
    }

    struct Years: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the years whose arrangement is in, with when and by whom.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            print("year\tdays\timported_at\timported_by")
            for row in try connection.query("SELECT year, days, imported_at, imported_by FROM geo.calendar_years ORDER BY year") {
                print(
                    "\(try row.decode(Int.self, at: 0))\t\(try row.decode(Int.self, at: 1))\t\(RFC3339.format(try row.decode(Date.self, at: 2)))\t\(try row.decode(String.self, at: 3))"
                )
            }
        }
    }
}

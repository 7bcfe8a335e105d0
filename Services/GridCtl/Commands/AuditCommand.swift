import ArgumentParser
import Audit
import Postgres

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The hash-chained audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Recompute every chain; exit 1 and name the first broken entry of each chain that does not verify.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl", statementTimeout: .seconds(600)))
            let (checked, breaks) = try AuditLog.verify(on: connection)
            for entry in breaks { print("BROKEN \(entry)") }
            print("\(checked) entries checked, \(breaks.count) chains broken")
            if !breaks.isEmpty { throw ExitCode(1) }
        }
    }
}

import ArgumentParser
import Postgres

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create the daemons' login roles and apply every schema's pending migrations (under an advisory lock).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl", statementTimeout: .seconds(300)))
        let report = try Migrator.migrate(MeshMigrations.all, on: connection)
        for line in report.applied { print("applied \(line)") }
        print("\(report.applied.count) applied, \(report.alreadyApplied) already applied")
    }
}

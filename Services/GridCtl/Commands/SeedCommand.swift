import ArgumentParser
import Postgres

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Load reference and demo data.", subcommands: [Demo.self])

    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo", abstract: "The 14 streets of Wuchang with 140 communities and 1 village, their grids and agencies, and demo accounts.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let report = try DemoSeed.run(on: connection)
            print("seeded \(report.streets) streets, \(report.communities) communities, \(report.grids) grids, \(report.accounts) accounts")
        }
    }
}

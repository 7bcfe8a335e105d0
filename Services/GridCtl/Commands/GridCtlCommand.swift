import ArgumentParser
import Foundation

/// `gridctl`: the mesh's administration command.
public struct GridCtlCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gridctl",
        abstract: "Administer a GridMesh deployment: migrations, demo seed, keys, tokens, deliveries.",
        subcommands: [
            MigrateCommand.self, SeedCommand.self, KeysCommand.self, TokenCommand.self, DeliveriesCommand.self, AuditCommand.self, CallbacksCommand.self,
            ReentryCommand.self, WebhooksCommand.self, EventsCommand.self, ClockCommand.self, CalendarCommand.self, AccountsCommand.self,
        ])

    public init() {}
}

/// Where the administrative database connection comes from.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "libpq conninfo of an owner/superuser connection (default: $GRIDMESH_ADMIN_DATABASE, else libpq's PG* defaults)")
    var database: String?

    var conninfo: String { database ?? ProcessInfo.processInfo.environment["GRIDMESH_ADMIN_DATABASE"] ?? "" }
}

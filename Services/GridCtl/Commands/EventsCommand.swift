import ArgumentParser
import Postgres

/// `gridctl events prune`: events no delivery refers to any more (the daemons' janitors removed
/// their finished deliveries), older than the retention. Replays reach back this far at most.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "The event log.", subcommands: [Prune.self])

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete events older than --days that no delivery or webhook delivery refers to.")

        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "Keep events this many days.") var days = 90
        @Option(name: .long, help: "Rows per statement.") var batch = 10_000

        func run() async throws {
            guard days >= 1, batch >= 1 else { throw ValidationError("--days and --batch must be at least 1") }
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl", statementTimeout: .seconds(600)))
            var total = 0
            while true {
                let removed = try connection.execute(
                    """
                    DELETE FROM mesh.events WHERE id IN (
                        SELECT e.id FROM mesh.events e
                        WHERE e.recorded_at < now() - $1 * interval '1 day'
                          AND NOT EXISTS (SELECT 1 FROM mesh.deliveries d WHERE d.event_id = e.id)
                          AND NOT EXISTS (SELECT 1 FROM mesh.webhook_deliveries w WHERE w.event_id = e.id)
                        LIMIT $2)
                    """, [days, batch])
                total += removed
                if removed < batch { break }
            }
            print("pruned \(total) events older than \(days) days")
        }
    }
}

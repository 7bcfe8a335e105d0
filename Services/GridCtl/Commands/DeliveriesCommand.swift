import ArgumentParser
import EventBus
import Foundation
import Postgres

struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Inspect and replay event deliveries.", subcommands: [Dead.self, Replay.self])

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dead", abstract: "List deliveries whose attempts ran out.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let rows = try connection.query(
                """
                SELECT d.id, d.subscriber, e.topic, e.event_id, d.attempts, coalesce(d.last_error, '')
                FROM mesh.deliveries d JOIN mesh.events e ON e.id = d.event_id WHERE d.state = 'dead' ORDER BY d.id
                """)
            for row in rows {
                print(
                    "\(try row.decode(Int.self, at: 0))\t\(try row.decode(String.self, at: 1))\t\(try row.decode(String.self, at: 2))\t\(try row.decode(UUID.self, at: 3))\tattempts=\(try row.decode(Int.self, at: 4))\t\(try row.decode(String.self, at: 5))"
                )
            }
            print("\(rows.count) dead")
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "replay", abstract: "Put a subscriber's dead deliveries (or one) back in line.")
        @Option(help: "The subscribing daemon, e.g. meetingd.") var subscriber: String
        @Option(help: "Only this delivery id.") var id: Int?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let count = try Subscriptions.replayDead(subscriber: subscriber, deliveryID: id, on: connection)
            print("\(count) replayed")
        }
    }
}

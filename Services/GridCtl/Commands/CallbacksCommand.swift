import ArgumentParser
import Foundation
import Postgres
import Webhooks

struct CallbacksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "callbacks", abstract: "Secrets of signed inbound callbacks.", subcommands: [Secret.self])

    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract:
                "Give an agency a new callback secret for patrold and meetingd (printed once); the previous one stays valid until the next rotation unless --revoke-previous."
        )

        @Option(help: "The agency, e.g. shuiguohu/city_management.") var agency: String
        @Flag(help: "Stop accepting the previous secret at once.") var revokePrevious = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            guard try connection.query("SELECT 1 FROM geo.agencies WHERE code = $1", [agency]).count == 1 else {
                throw ValidationError("no agency \(agency)")
            }
            let secret = WebhookSignature.newSecret()
            let sealed = try SecretSealer.load(environment: ProcessInfo.processInfo.environment).seal(secret, for: "callback:\(agency)")
            try connection.transaction { connection in
                for table in ["patrol.agency_callbacks", "meeting.agency_callbacks"] {
                    try connection.execute(
                        """
                        INSERT INTO \(table) (agency_code, secrets, rotated_at) VALUES ($1, ARRAY[$2], now())
                        ON CONFLICT (agency_code) DO UPDATE
                        SET secrets = CASE WHEN $3 THEN ARRAY[$2] ELSE ARRAY[$2, \(table).secrets[1]] END, rotated_at = now()
                        """, [agency, sealed, revokePrevious])
                }
            }
            print(secret)
        }
    }
}

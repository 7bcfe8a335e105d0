import ArgumentParser
import Foundation
import GridCore
import Postgres
import Webhooks

/// `gridctl webhooks`: a daemon's outbound webhook endpoints, as its `/v1/webhooks` API manages them.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Outbound webhook endpoints: create, list, pause, resume, delete, rotate, deliveries, replay.",
        subcommands: [Create.self, List.self, Change.self, Rotate.self, Deliveries.self, Replay.self])

    struct Target: ParsableArguments {
        @OptionGroup var database: DatabaseOptions

        @Option(name: .long, help: "The daemon whose events the endpoint receives (patrold, meetingd, reentryd, vettingd).")
        var owner: String

        @Option(name: .long, help: "Hosts allowed to resolve to internal addresses (default: $GRIDMESH_WEBHOOK_ALLOW_HOSTS).")
        var allowHost: [String] = []

        func endpoints() throws -> WebhookEndpoints {
            let environment = ProcessInfo.processInfo.environment
            let hosts = allowHost + (environment["GRIDMESH_WEBHOOK_ALLOW_HOSTS"] ?? "").split(separator: ",").map(String.init)
            return WebhookEndpoints(owner: owner, policy: AddressPolicy(allowedHosts: Set(hosts)), sealer: try SecretSealer.load(environment: environment))
        }

        func connect() throws -> PostgresConnection {
            try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
        }
    }

    static func print(_ value: some Encodable) throws {
        let encoder = WireJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe a URL to topics; prints the endpoint and its secret (shown once).")
        @OptionGroup var target: Target
        @Option(name: .long, help: "The http(s) URL to deliver to.") var url: String
        @Option(name: .long, help: "Comma-separated topics or patterns (finding.dispatched,finding.*,*).") var topics: String
        @Option(name: .long, help: "Only events about this agency.") var agency: String?
        @Option(name: .long, help: "What it is for.") var description = ""
        @Flag(name: .long, help: "Delete the owner's endpoints with this URL first (their secrets cannot be shown again).") var replace = false

        func run() async throws {
            let endpoints = try target.endpoints()
            let topics = topics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let problems = endpoints.problems(url: url, topics: topics, description: description)
            guard problems.isEmpty else { throw ValidationError(problems.map { "\($0.field) \($0.message)" }.joined(separator: "; ")) }
            let connection = try target.connect()
            if replace {
                for old in try endpoints.list(on: connection) where old.url == url {
                    _ = try endpoints.change(old.id, to: "delete", at: Date(), on: connection)
                }
            }
            let (endpoint, secret, _) = try endpoints.create(
                id: UUID.v7(), url: url, topics: topics, description: description, agencyCode: agency, by: "gridctl", at: Date(), on: connection)
            try WebhooksCommand.print(endpoint)
            Swift.print("secret: \(secret)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The owner's endpoints.")
        @OptionGroup var target: Target
        func run() async throws { try WebhooksCommand.print(try target.endpoints().list(on: try target.connect())) }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "pause, resume (also re-enables a disabled endpoint) or delete.")
        @OptionGroup var target: Target
        @Argument(help: "pause | resume | delete") var action: String
        @Argument(help: "The endpoint id.") var id: String

        func run() async throws {
            guard ["pause", "resume", "delete"].contains(action) else { throw ValidationError("the action is pause, resume or delete") }
            if let endpoint = try target.endpoints().change(try uuidArgument(id, "the endpoint id"), to: action, at: Date(), on: try target.connect()) {
                try WebhooksCommand.print(endpoint)
            } else {
                Swift.print("deleted \(id.lowercased())")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new secret; the old one keeps signing for the overlap.")
        @OptionGroup var target: Target
        @Argument(help: "The endpoint id.") var id: String
        @Option(name: .long, help: "Hours both secrets sign.") var overlapHours = 24

        func run() async throws {
            Swift.print(
                "secret: \(try target.endpoints().rotateSecret(try uuidArgument(id, "the endpoint id"), overlap: .seconds(overlapHours * 3600), at: Date(), on: try target.connect()))"
            )
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The delivery log of an endpoint, newest first.")
        @OptionGroup var target: Target
        @Argument(help: "The endpoint id.") var id: String
        @Option(name: .long) var limit = 50
        func run() async throws {
            try WebhooksCommand.print(try target.endpoints().deliveries(of: try uuidArgument(id, "the endpoint id"), limit: limit, on: try target.connect()))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send one event (--event) or a time range (--from, --to, RFC 3339) again.")
        @OptionGroup var target: Target
        @Argument(help: "The endpoint id.") var id: String
        @Option(name: .long) var event: String?
        @Option(name: .long) var from: String?
        @Option(name: .long) var to: String?

        func run() async throws {
            let from = try from.map { try RFC3339.parse($0) ?? { throw ValidationError("--from is not RFC 3339") }() }
            let to = try to.map { try RFC3339.parse($0) ?? { throw ValidationError("--to is not RFC 3339") }() }
            guard event != nil || (from != nil && to != nil) else { throw ValidationError("give --event, or --from and --to") }
            let queued = try target.endpoints().replay(
                try uuidArgument(id, "the endpoint id"), event: try event.map { try uuidArgument($0, "--event") }, from: from, to: to, at: Date(),
                on: try target.connect())
            Swift.print("queued \(queued) deliveries")
        }
    }
}

/// An endpoint or event id given on the command line.
func uuidArgument(_ text: String, _ name: String) throws -> UUID {
    guard let id = UUID(uuidString: text) else { throw ValidationError("\(name) is not a UUID: \(text)") }
    return id
}

import ArgumentParser
import Auth
import Daemon
import Foundation
import GridCore
import Postgres
import Webhooks

struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Sign-in credentials of the directory's accounts (held by authd).",
        subcommands: [Invite.self, ClientSecret.self, Demo.self, Code.self])

    /// gridctl's own actor in authd's audit chain: the operating-system user who ran it.
    static var administrator: Principal {
        Principal(subject: "gridctl:\(ProcessInfo.processInfo.environment["USER"] ?? "root")", role: .admin, scope: .district)
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite",
            abstract: "A one-time activation code for an account (voiding earlier ones): the person sets a password with it at authd's POST /v1/activations.")

        @Argument(help: "The account's subject, e.g. zhangmin.") var subject: String
        @Option(help: "Days the code stays valid.") var days: Int = 7
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard (1...30).contains(days) else { throw ValidationError("--days must be 1 to 30") }
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let code = try connection.transaction { connection -> String in
                guard let role = try connection.query("SELECT role FROM geo.accounts WHERE subject = $1", [subject]).first?.decode(String.self, at: 0) else {
                    throw ValidationError("no account \(subject) in geo.accounts")
                }
                guard role != Role.service.rawValue else { throw ValidationError("\(subject) is a service account: services use client secrets") }
                return try Enrolment.issueCode(
                    for: subject, purpose: "invite", lifetime: .seconds(days * 86400), by: AccountsCommand.administrator, chain: "authd", at: Date(),
                    on: connection)
            }
            print("activation code for \(subject): \(code) (valid \(days) days; POST /v1/activations at authd with it and a new password)")
        }
    }

    struct ClientSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client-secret",
            abstract:
                "A new client secret for a service account (svc-meetingd, …): the daemon exchanges it at authd for tokens of minutes. Earlier secrets stay valid for --overlap-hours."
        )

        @Argument(help: "The service account, e.g. svc-meetingd.") var subject: String
        @Option(help: "Write the secret to this file (mode 0600; for the unit's LoadCredential=client-secret:FILE) instead of printing it.")
        var file: String?
        @Option(help: "Hours the account's earlier secrets stay valid (0: at once).") var overlapHours: Int = 24
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard (0...720).contains(overlapHours) else { throw ValidationError("--overlap-hours must be 0 to 720") }
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let secret: String
            do {
                secret = try connection.transaction { connection in
                    try ServiceClients.issue(
                        for: subject, overlap: .seconds(overlapHours * 3600), by: AccountsCommand.administrator, chain: "authd", at: Date(), on: connection)
                }
            } catch let problem as Problem {
                throw ValidationError(problem.detail ?? problem.title)
            }
            guard let file else { return print(secret) }
            guard FileManager.default.createFile(atPath: file, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(file)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            print("client secret for \(subject) written to \(file)")
        }
    }

    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract:
                "Demo only: give every person of the demo directory the password --password, and the roles with a second factor a fresh authenticator secret (printed as `subject secret`)."
        )

        @Option(help: "The demo password (it must pass the password policy).") var password: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let sealer = try SecretSealer.load(environment: ProcessInfo.processInfo.environment)
            let hasher = PasswordHasher(threads: 2)
            defer { Task { try? await hasher.shutdown() } }
            let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
            let people = try connection.query("SELECT subject, display_name, role FROM geo.accounts WHERE role <> 'service' ORDER BY subject").map {
                (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1), Role(rawValue: try $0.decode(String.self, at: 2)))
            }
            var lines: [String] = []
            for (subject, name, role) in people {
                if let why = PasswordPolicy.refusal(password, subject: subject, displayName: name) {
                    throw ValidationError("the demo password \(why) (for \(subject))")
                }
                let hash = try await hasher.hash(password)
                let totp = role?.needsSecondFactor ?? false ? TOTP.generate() : nil
                let sealed = try totp.map { try sealer.seal(Base32.encode($0.secret), for: "totp:\(subject)") }
                try connection.execute(
                    """
                    INSERT INTO auth.credentials (subject, password_hash, password_changed_at, totp_secret, totp_confirmed_at, updated_at)
                    VALUES ($1, $2, now(), $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, now())
                    ON CONFLICT (subject) DO UPDATE SET password_hash = excluded.password_hash, password_changed_at = now(),
                        totp_secret = excluded.totp_secret, totp_confirmed_at = excluded.totp_confirmed_at, totp_last_step = 0,
                        failed_attempts = 0, last_failed_at = NULL, locked_until = NULL, updated_at = now()
                    """, [subject, hash, sealed])
                if let totp { lines.append("\(subject) \(Base32.encode(totp.secret))") }
            }
            print(lines.joined(separator: "\n"))
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "code", abstract: "The current code of an authenticator secret (base32), as an authenticator app shows it: for demos and scripts.")

        @Argument(help: "The base32 secret.") var secret: String

        func run() async throws {
            guard let bytes = Base32.decode(secret), !bytes.isEmpty else { throw ValidationError("not a base32 secret") }
            print(TOTP(secret: bytes).code(counter: TOTP.counter(at: Date())))
        }
    }
}

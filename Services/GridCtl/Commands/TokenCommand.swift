import ArgumentParser
import Daemon
import Foundation
import GridCore
import Postgres

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Bearer tokens signed directly with the private key: for tests and tools, never for people (they sign in at authd).",
        subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Tests and tools: sign a token (no session, not revocable) for an account in the directory, or for an explicit role and scope.")

        @Option(help: "An account of geo.accounts (e.g. zhangmin); its role, scope and agency are used.")
        var account: String?
        @Option(help: "Subject, when no account is given.") var subject: String?
        @Option(help: "Role code, e.g. grid_worker, street_officer, service.") var role: String?
        @Option(help: "district | street:CODE | community:CODE | grid:CODE") var scope: String?
        @Option(help: "Agency code, e.g. shuiguohu/city_management.") var agency: String?
        @Option(help: "Lifetime in hours.") var hours: Int = 12
        @Option(help: "The private signing JWK (default: $GRIDMESH_TOKEN_SIGNING_KEY_FILE or $CREDENTIALS_DIRECTORY/token-signing-key).")
        var key: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let keyFile = key ?? environment["GRIDMESH_TOKEN_SIGNING_KEY_FILE"] ?? environment["CREDENTIALS_DIRECTORY"].map({ "\($0)/token-signing-key" })
            else {
                throw ValidationError("no signing key: pass --key or set GRIDMESH_TOKEN_SIGNING_KEY_FILE")
            }
            guard (1...24 * 90).contains(hours) else { throw ValidationError("--hours must be 1 to 2160") }
            let claims: TokenClaims
            let issuer = environment["GRIDMESH_TOKEN_ISSUER"] ?? "gridmesh"
            if let account {
                let connection = try PostgresConnection(conninfo: database.conninfo, settings: .init(applicationName: "gridctl"))
                guard let row = try connection.query("SELECT role, scope, agency_code FROM geo.accounts WHERE subject = $1", [account]).first else {
                    throw ValidationError("no account \(account) in geo.accounts")
                }
                guard let role = Role(rawValue: try row.decode(at: 0)), let scope = Scope(try row.decode(String.self, at: 1)) else {
                    throw ValidationError("account \(account) has an unknown role or scope")
                }
                claims = TokenClaims(
                    subject: account, role: role, scope: scope, agency: try row.decode(String?.self, at: 2), issuer: issuer, lifetime: .seconds(hours * 3600))
            } else {
                guard let subject, let roleText = role, let role = Role(rawValue: roleText), let scopeText = scope, let scope = Scope(scopeText) else {
                    throw ValidationError("give --account, or --subject, a valid --role and a valid --scope")
                }
                claims = TokenClaims(subject: subject, role: role, scope: scope, agency: agency, issuer: issuer, lifetime: .seconds(hours * 3600))
            }
            let issuerKeys = try await TokenIssuer(privateJWK: try String(contentsOfFile: keyFile, encoding: .utf8), issuer: issuer)
            print(try await issuerKeys.issue(claims))
        }
    }
}

import Foundation
import GridCore
import HTTPClient
import Postgres

/// A daemon's settings, read from `GRIDMESH_*` environment variables (systemd's `Environment=` and
/// `EnvironmentFile=` set them). Everything has a default that works on a developer machine.
public struct DaemonConfig: Sendable {
    /// The daemon's name: its unit, its log label, its DB login role and its bus subscriber name.
    public var name: String
    /// libpq conninfo for this daemon's pool and listener; empty = libpq defaults (`PG*`, service file).
    public var database: String
    public var poolSize: Int
    public var statementTimeout: Duration
    public var host: String
    public var port: Int
    /// Request bodies above this many bytes get 413.
    public var maxBodyBytes: Int
    /// A file of public keys (JWKS) that bearer tokens are verified against…
    public var tokenKeysFile: String?
    /// …or, without one, where to fetch them: `GRIDMESH_TOKEN_JWKS_URL`, else authd's
    /// `/.well-known/jwks.json` at `GRIDMESH_AUTHD_URL`.
    public var tokenJWKSURL: String? {
        environment["GRIDMESH_TOKEN_JWKS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? peers["authd"].map { "\($0)/.well-known/jwks.json" }
    }
    public var tokenIssuer: String
    public var logLevel: String
    public var dataDirectory: String
    public var timeZone: String
    /// Bus: how long a claimed delivery stays leased, and the fallback poll.
    public var leaseDuration: Duration
    public var pollInterval: Duration
    /// Graceful shutdown must finish within this (below systemd's stop timeout).
    public var shutdownTimeout: Duration
    /// Other daemons' base URLs, by daemon name (`GRIDMESH_PATROLD_URL` …).
    public var peers: [String: String]
    /// The mesh's time for domain code: the system clock, or one shifted through
    /// `GRIDMESH_CLOCK_FILE` (the scenario test and the demo; never set in production).
    public var clock: any WallClock = SystemWallClock()
    /// The whole environment, for settings of one daemon's own (read through `integer(_:default:range:)`).
    public var environment: [String: String] = [:]

    /// A daemon's own integer setting, checked.
    public func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        try EnvironmentReader(environment: environment).integer(key, default: value, range: range)
    }

    /// A comma-separated list of account subjects (e.g. the services allowed a question).
    public func serviceList(_ key: String, default value: String) -> Set<String> {
        Set(EnvironmentReader(environment: environment).list(key, default: value))
    }

    /// What the daemon calls its peers with: its service account (`GRIDMESH_CLIENT_ID`, `svc-` and
    /// its name by default) and the client secret in `GRIDMESH_CLIENT_SECRET_FILE` or the systemd
    /// credential `client-secret`, exchanged at authd (`GRIDMESH_AUTHD_URL`) for tokens of minutes;
    /// in tests, a fixed token from `GRIDMESH_SERVICE_TOKEN_FILE`.
    public func serviceTokens(calling peer: String, http: HTTPClient) throws -> ServiceTokens {
        if let file = environment["GRIDMESH_SERVICE_TOKEN_FILE"], !file.isEmpty {
            return ServiceTokens(
                .fixed(try Self.secret(in: file, variable: "GRIDMESH_SERVICE_TOKEN_FILE", purpose: "\(name)'s service token to call \(peer)")), http: http)
        }
        let file = environment["GRIDMESH_CLIENT_SECRET_FILE"] ?? environment["CREDENTIALS_DIRECTORY"].map { "\($0)/client-secret" } ?? ""
        let secret = try Self.secret(in: file, variable: "GRIDMESH_CLIENT_SECRET_FILE", purpose: "\(name)'s client secret to call \(peer)")
        guard let authd = peers["authd"] else {
            throw ConfigError(variable: "GRIDMESH_AUTHD_URL", message: "\(name) gets its tokens to call \(peer) from authd")
        }
        return ServiceTokens(
            .clientCredentials(tokenURL: "\(authd)/v1/token", clientID: environment["GRIDMESH_CLIENT_ID"] ?? "svc-\(name)", secret: secret), http: http)
    }

    static func secret(in file: String, variable: String, purpose: String) throws -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw ConfigError(variable: variable, message: "\(purpose) is missing")
        }
        return text
    }

    public static func fromEnvironment(name: String, defaultPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> DaemonConfig
    {
        let reader = EnvironmentReader(environment: environment)
        let credentials = environment["CREDENTIALS_DIRECTORY"]
        var config = DaemonConfig(
            name: name,
            database: reader.string("GRIDMESH_DATABASE", default: ""),
            poolSize: try reader.integer("GRIDMESH_POOL_SIZE", default: 8, range: 1...256),
            statementTimeout: .milliseconds(try reader.integer("GRIDMESH_STATEMENT_TIMEOUT_MS", default: 15_000, range: 100...3_600_000)),
            host: reader.string("GRIDMESH_HTTP_HOST", default: "127.0.0.1"),
            port: try reader.integer("GRIDMESH_HTTP_PORT", default: defaultPort, range: 0...65535),
            maxBodyBytes: try reader.integer("GRIDMESH_MAX_BODY_BYTES", default: 1 << 20, range: 1024...(256 << 20)),
            tokenKeysFile: reader.optional("GRIDMESH_TOKEN_KEYS_FILE")
                ?? credentials.map { "\($0)/token-keys.json" }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil },
            tokenIssuer: reader.string("GRIDMESH_TOKEN_ISSUER", default: "gridmesh"),
            logLevel: reader.string("GRIDMESH_LOG_LEVEL", default: "info"),
            dataDirectory: reader.optional("GRIDMESH_DATA_DIR") ?? environment["STATE_DIRECTORY"] ?? "./.gridmesh/data/\(name)",
            timeZone: reader.string("GRIDMESH_TIME_ZONE", default: "Asia/Shanghai"),
            leaseDuration: .milliseconds(try reader.integer("GRIDMESH_LEASE_MS", default: 30_000, range: 100...3_600_000)),
            pollInterval: .milliseconds(try reader.integer("GRIDMESH_POLL_MS", default: 2_000, range: 10...600_000)),
            shutdownTimeout: .milliseconds(try reader.integer("GRIDMESH_SHUTDOWN_TIMEOUT_MS", default: 20_000, range: 100...600_000)),
            peers: [:], environment: environment)
        config.clock = ShiftedWallClock.fromEnvironment(environment)
        for (key, value) in environment where key.hasPrefix("GRIDMESH_") && key.hasSuffix("D_URL") {
            let peer = key.dropFirst("GRIDMESH_".count).dropLast("_URL".count).lowercased()
            config.peers[peer] = value
        }
        guard TimeZone(identifier: config.timeZone) != nil else {
            throw ConfigError(variable: "GRIDMESH_TIME_ZONE", message: "unknown time zone \(config.timeZone)")
        }
        return config
    }

    public var poolConfiguration: PostgresPool.Configuration {
        .init(conninfo: database, size: poolSize, session: SessionSettings(applicationName: name, statementTimeout: statementTimeout))
    }
}

/// A setting that cannot be used, named so the operator can fix it.
public struct ConfigError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}

struct EnvironmentReader {
    let environment: [String: String]

    func optional(_ key: String) -> String? {
        guard let value = environment[key], !value.isEmpty else { return nil }
        return value
    }

    func string(_ key: String, default value: String) -> String { optional(key) ?? value }

    func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = optional(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigError(variable: key, message: "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return number
    }

    /// A comma-separated list, its items trimmed, empty ones dropped.
    func list(_ key: String, default value: String = "") -> [String] {
        (environment[key] ?? value).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A comma-separated list of `name=value` pairs; `expected` words the error for a malformed one.
    func pairs(_ key: String, expected: String) throws -> [(name: String, value: String)] {
        try list(key).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigError(variable: key, message: "expected \(expected), got \(pair)")
            }
            return (parts[0], parts[1])
        }
    }
}

import Daemon
import Foundation
import GridCore

/// authd: sign-in, sessions and short-lived tokens; the only holder of the token-signing key.
public enum Authd {
    public static let definition = DaemonDefinition(
        name: "authd", title: "GridMesh authd",
        summary: "Sign-in (password, and a TOTP second factor for roles that reach personal data), sessions with rotating refresh tokens, "
            + "access tokens of minutes with an audience per daemon, the signing keys (JWKS) and OpenID Connect discovery.",
        defaultPort: 8085, schema: "auth", schemaVersion: AuthSchema.version,
        ownKeys: publicKeys, countsWorkingDays: false
    ) { setup in
        let config = setup.config
        let keys = try SigningKeys.load(environment: config.environment)
        let policy = try SignInPolicy(config: config)
        let hasher = PasswordHasher(
            parameters: .init(
                memoryKiB: UInt32(try config.integer("GRIDMESH_AUTH_ARGON2_MEMORY_KIB", default: 19 * 1024, range: 19 * 1024...1024 * 1024)),
                iterations: UInt32(try config.integer("GRIDMESH_AUTH_ARGON2_ITERATIONS", default: 2, range: 2...16)), parallelism: 1),
            threads: try config.integer("GRIDMESH_AUTH_HASH_THREADS", default: 2, range: 1...64))
        // security time is the wall clock's, never the shifted mesh clock of tests and demos:
        // tokens, sessions and authenticator codes are checked against real time everywhere
        let sessions = try SessionStore(
            pool: setup.pool, bus: setup.bus, clock: SystemWallClock(), hasher: hasher, sealer: setup.sealer, policy: policy, chain: config.name,
            revocations: setup.verifier.revocations)
        let enrolment = Enrolment(sessions: sessions)
        let publicURL = config.environment["GRIDMESH_AUTH_PUBLIC_URL"] ?? "http://\(config.host):\(config.port)"
        let settings = SignInRoutes.Settings(
            tokens: AccessTokens(keys: keys, issuer: config.tokenIssuer, lifetime: policy.accessLifetime), lifetime: policy.accessLifetime,
            cookiePath: config.environment["GRIDMESH_AUTH_COOKIE_PATH"] ?? "/",
            trustedProxies: config.serviceList("GRIDMESH_TRUSTED_PROXIES", default: "127.0.0.1,::1"))
        WellKnownRoutes.register(on: setup.routes, keys: keys, issuer: config.tokenIssuer, publicURL: publicURL)
        SignInRoutes.register(on: setup.routes, sessions: sessions, enrolment: enrolment, settings: settings)
        AccountRoutes.register(on: setup.routes, sessions: sessions, enrolment: enrolment)
    }
}

extension Authd {
    /// What authd verifies its own tokens against: the public half of its signing keys.
    @Sendable static func publicKeys(_ config: DaemonConfig) throws -> String { try SigningKeys.load(environment: config.environment).publicJWKS }
}

extension SignInPolicy {
    /// The policy with `GRIDMESH_AUTH_*` overrides.
    init(config: DaemonConfig) throws {
        self.init()
        accessLifetime = .seconds(try config.integer("GRIDMESH_AUTH_ACCESS_SECONDS", default: 600, range: 30...600))
        browserSession = .seconds(try config.integer("GRIDMESH_AUTH_BROWSER_HOURS", default: 12, range: 1...72) * 3600)
        appSession = .seconds(try config.integer("GRIDMESH_AUTH_APP_DAYS", default: 30, range: 1...180) * 86400)
        slowAfter = try config.integer("GRIDMESH_AUTH_SLOW_AFTER", default: 3, range: 1...100)
        lockAfter = try config.integer("GRIDMESH_AUTH_LOCK_AFTER", default: 10, range: 3...100)
        lockFor = .seconds(try config.integer("GRIDMESH_AUTH_LOCK_MINUTES", default: 30, range: 1...1440) * 60)
        addressFailures = try config.integer("GRIDMESH_AUTH_ADDRESS_FAILURES", default: 30, range: 3...10_000)
    }
}

import Audit
import Daemon
import EventBus
import Foundation
import GridCore
import Postgres
import Webhooks

/// Sign-in sessions: opening one with a password (and a second factor where the role needs it),
/// refreshing it with one-time refresh tokens, and revoking it. Every sign-in, failure, lock and
/// revocation goes into authd's audit chain; no password, code or token is ever logged or stored
/// in the clear.
public struct SessionStore: Sendable {
    public enum Client: String, Sendable, Codable { case browser, app }

    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let hasher: PasswordHasher
    let sealer: SecretSealer
    let policy: SignInPolicy
    let addresses: AddressThrottle
    let chain: String
    /// The process's own list of revoked sessions: a revocation counts here from its commit.
    let revocations: SessionRevocations
    /// Verified against when the account is unknown, so the answer takes as long either way.
    let decoyHash: String

    public init(
        pool: PostgresPool, bus: EventBus, clock: any WallClock, hasher: PasswordHasher, sealer: SecretSealer, policy: SignInPolicy, chain: String,
        revocations: SessionRevocations
    ) throws {
        self.revocations = revocations
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.hasher = hasher
        self.sealer = sealer
        self.policy = policy
        self.chain = chain
        addresses = AddressThrottle(limit: policy.addressFailures, window: policy.addressWindow)
        decoyHash = try PasswordHasher.hashNow(UUID().uuidString, parameters: hasher.parameters)
    }

    /// A session just opened or refreshed: whose, and the refresh token that continues it.
    public struct Opened: Sendable {
        let account: Account
        let session: UUID
        let client: Client
        let refreshToken: String
        let refreshExpiresAt: Date
    }

    static let anonymous = Principal(subject: "anonymous", role: .service, scope: .district)

    static func target(_ subject: String) -> String { "account:\(subject)" }

    static let invalidCredentials = Problem(
        .unauthorized, code: "invalid-credentials", title: "Sign-in refused", detail: "the account or the password is wrong")

    /// Opens a session for `username` with `password` and, for roles that need it, a current TOTP `code`.
    public func signIn(username: String, password: String, code: String?, client: Client, address: String) async throws -> Opened {
        let now = clock.now()
        let wait = addresses.wait(address, now: now)
        guard wait == 0 else {
            throw Problem.tooMany("too-many-attempts", "too many failed sign-ins from this address; try again later", retryAfterSeconds: wait)
        }
        let policy = policy
        let claim = try await pool.transaction { connection -> Claim in
            guard let account = try Account.find(username, on: connection), account.role != .service,
                let credential = try Credential.locked(username, on: connection), let hash = credential.passwordHash
            else { return .unknown }
            if let until = credential.lockedUntil, until > now { return .locked(Int(until.timeIntervalSince(now).rounded(.up))) }
            let delay = policy.delay(failures: credential.failedAttempts, last: credential.lastFailedAt, now: now)
            if delay > 0 { return .slowed(delay) }
            // counted as failed until it succeeds, so guesses sent in parallel each count
            try connection.execute(
                "UPDATE auth.credentials SET failed_attempts = failed_attempts + 1, last_failed_at = $2, updated_at = $2 WHERE subject = $1", [username, now])
            return .attempt(account, credential, hash)
        }
        switch claim {
        case .unknown:
            _ = try await hasher.verify(password, against: decoyHash)
            addresses.failed(address, at: now)
            try await pool.transaction { connection in
                try AuditLog.append(chain: chain, actor: Self.anonymous, action: "sign-in.failed", target: "account:unknown", at: now, on: connection)
            }
            throw Self.invalidCredentials
        case .locked(let seconds):
            throw Problem.tooMany("account-locked", "the account is locked after too many failed sign-ins", retryAfterSeconds: seconds)
        case .slowed(let seconds):
            throw Problem.tooMany("too-many-attempts", "wait before the next attempt", retryAfterSeconds: seconds)
        case .attempt(let account, let credential, let hash):
            guard try await hasher.verify(password, against: hash) else {
                try await failed(account, reason: "password", address: address, at: now)
                throw Self.invalidCredentials
            }
            var step: Int64?
            if account.needsSecondFactor {
                guard let sealed = credential.totpSecret, let secret = Base32.decode(try sealer.open(sealed, for: "totp:\(account.subject)")) else {
                    throw Problem(
                        .forbidden, code: "second-factor-not-enrolled", title: "Second factor missing",
                        detail: "this role signs in with a second factor; ask an administrator for a reset")
                }
                guard let code, !code.isEmpty else {
                    try await failed(account, reason: "second-factor-missing", address: nil, at: now)
                    throw Problem(
                        .unauthorized, code: "second-factor-required", title: "Second factor required", detail: "give the code of your authenticator app")
                }
                guard let counter = TOTP(secret: secret).matchingCounter(code, at: now), counter > credential.totpLastStep else {
                    try await failed(account, reason: "second-factor", address: address, at: now)
                    throw Problem(.unauthorized, code: "invalid-second-factor", title: "Sign-in refused", detail: "the code is wrong, expired or used already")
                }
                step = counter
            }
            let rehash = hasher.needsRehash(hash) ? try await hasher.hash(password) : nil
            return try await open(for: account, client: client, step: step, rehash: rehash, at: now)
        }
    }

    enum Claim: Sendable {
        case unknown
        case locked(Int)
        case slowed(Int)
        case attempt(Account, Credential, String)
    }

    /// Records a failure; at the threshold the account locks.
    func failed(_ account: Account, reason: String, address: String?, at now: Date) async throws {
        if let address { addresses.failed(address, at: now) }
        let policy = policy
        try await pool.transaction { [chain] connection in
            let failures =
                try connection.query("SELECT failed_attempts FROM auth.credentials WHERE subject = $1 FOR UPDATE", [account.subject]).first?
                .decode(Int.self, at: 0) ?? 0
            try AuditLog.append(
                chain: chain, actor: account.principal, action: "sign-in.failed", target: Self.target(account.subject), reason: reason, at: now, on: connection)
            if failures >= policy.lockAfter {
                try connection.execute(
                    "UPDATE auth.credentials SET locked_until = $2, failed_attempts = 0, updated_at = $3 WHERE subject = $1",
                    [account.subject, now.addingTimeInterval(TimeInterval(policy.lockFor.components.seconds)), now])
                try AuditLog.append(
                    chain: chain, actor: account.principal, action: "account.lock", target: Self.target(account.subject),
                    reason: "\(failures) failed sign-ins", at: now, on: connection)
            }
        }
    }

    /// A new session with its first refresh token; the TOTP step is spent in the same transaction.
    func open(for account: Account, client: Client, step: Int64?, rehash: String?, at now: Date) async throws -> Opened {
        let session = UUID()
        let token = OneTimeSecret.refreshToken()
        let (lifetime, idle) = client == .browser ? (policy.browserSession, policy.browserIdle) : (policy.appSession, policy.appIdle)
        let expiresAt = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let refreshExpiresAt = min(expiresAt, now.addingTimeInterval(TimeInterval(idle.components.seconds)))
        try await pool.transaction { [chain] connection in
            if let step {
                let spent = try connection.execute(
                    """
                    UPDATE auth.credentials SET totp_last_step = $2, totp_confirmed_at = coalesce(totp_confirmed_at, $3)
                    WHERE subject = $1 AND totp_last_step < $2
                    """, [account.subject, Int(step), now])
                guard spent == 1 else {
                    throw Problem(.unauthorized, code: "invalid-second-factor", title: "Sign-in refused", detail: "the code is wrong, expired or used already")
                }
            }
            try connection.execute(
                """
                UPDATE auth.credentials SET failed_attempts = 0, last_failed_at = NULL, updated_at = $2,
                    password_hash = coalesce($3, password_hash)
                WHERE subject = $1
                """, [account.subject, now, rehash])
            try connection.execute(
                "INSERT INTO auth.sessions (id, subject, client, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
                [session, account.subject, client.rawValue, now, expiresAt])
            try connection.execute(
                "INSERT INTO auth.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)",
                [OneTimeSecret.hash(token), session, now, refreshExpiresAt])
            try AuditLog.append(
                chain: chain, actor: account.principal, action: "sign-in", target: Self.target(account.subject),
                reason: "session \(session.uuidString.lowercased()) (\(client.rawValue))", at: now, on: connection)
        }
        return Opened(account: account, session: session, client: client, refreshToken: token, refreshExpiresAt: refreshExpiresAt)
    }
}

import Audit
import Daemon
import EventBus
import Foundation
import GridCore
import Postgres
import Webhooks

/// Credentials over an account's life: the invite and its activation, a password change, an
/// administrator's reset and unlock.
public struct Enrolment: Sendable {
    let sessions: SessionStore

    public init(sessions: SessionStore) { self.sessions = sessions }

    var pool: PostgresPool { sessions.pool }
    var chain: String { sessions.chain }

    /// A new one-time activation code for `subject` (voiding any earlier one): for `gridctl
    /// accounts invite` and an administrator's reset. Runs in the caller's transaction.
    public static func issueCode(
        for subject: String, purpose: String, lifetime: Duration, by actor: Principal, chain: String, at now: Date, on connection: PostgresConnection
    ) throws -> String {
        let code = OneTimeSecret.activationCode()
        try connection.execute(
            "UPDATE auth.activation_codes SET voided_at = $2 WHERE subject = $1 AND used_at IS NULL AND voided_at IS NULL", [subject, now])
        try connection.execute(
            """
            INSERT INTO auth.activation_codes (code_hash, subject, purpose, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
            """,
            [
                OneTimeSecret.hash(OneTimeSecret.normalizedCode(code)), subject, purpose, actor.subject, now,
                now.addingTimeInterval(TimeInterval(lifetime.components.seconds)),
            ])
        try connection.execute(
            "INSERT INTO auth.credentials (subject, updated_at) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING", [subject, now])
        try AuditLog.append(chain: chain, actor: actor, action: "account.\(purpose)", target: SessionStore.target(subject), at: now, on: connection)
        return code
    }

    public struct Activated: Sendable, Encodable {
        let subject: String
        /// For roles that sign in with a second factor: the secret to add to an authenticator app,
        /// shown this once. The first sign-in with one of its codes confirms it.
        let totpURI: String?
        let totpSecret: String?
    }

    /// Sets the first password of an invited (or reset) account with its activation code.
    public func activate(username: String, code: String, password: String, address: String) async throws -> Activated {
        let now = sessions.clock.now()
        let wait = sessions.addresses.wait(address, now: now)
        guard wait == 0 else { throw Problem.tooMany("too-many-attempts", "too many failed attempts from this address", retryAfterSeconds: wait) }
        let refused = Problem(.badRequest, code: "invalid-activation", title: "Activation refused", detail: "the account or the code is wrong, used or expired")
        guard let account = try await pool.withConnection({ try Account.find(username, on: $0) }), account.role != .service else {
            sessions.addresses.failed(address, at: now)
            throw refused
        }
        if let why = PasswordPolicy.refusal(password, subject: account.subject, displayName: account.displayName) {
            throw Problem.validation([.init(field: "password", message: why)])
        }
        let hash = try await sessions.hasher.hash(password)
        let totp = account.needsSecondFactor ? TOTP.generate() : nil
        let sealed = try totp.map { try sessions.sealer.seal(Base32.encode($0.secret), for: "totp:\(account.subject)") }
        let used = try await pool.transaction { [chain, bus = sessions.bus, revocations = sessions.revocations] connection -> Bool in
            let spent = try connection.execute(
                """
                UPDATE auth.activation_codes SET used_at = $3
                WHERE code_hash = $1 AND subject = $2 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $3
                """, [OneTimeSecret.hash(OneTimeSecret.normalizedCode(code)), account.subject, now])
            guard spent == 1 else { return false }
            try connection.execute(
                """
                UPDATE auth.credentials SET password_hash = $2, password_changed_at = $3, totp_secret = $4, totp_confirmed_at = NULL,
                    totp_last_step = 0, failed_attempts = 0, last_failed_at = NULL, locked_until = NULL, updated_at = $3
                WHERE subject = $1
                """, [account.subject, hash, now, sealed])
            try SessionStore.revokeSessions(
                sessionsWhere: "subject = $1", [account.subject], reason: "reset", by: account.principal, chain: chain, bus: bus, revocations: revocations,
                at: now, on: connection)
            try AuditLog.append(
                chain: chain, actor: account.principal, action: "account.activate", target: SessionStore.target(account.subject), at: now, on: connection)
            return true
        }
        guard used else {
            sessions.addresses.failed(address, at: now)
            throw refused
        }
        return Activated(
            subject: account.subject, totpURI: totp?.uri(account: account.subject, issuer: "GridMesh"), totpSecret: totp.map { Base32.encode($0.secret) })
    }

    /// Changes the signed-in person's password (the current one is asked again); their other
    /// sessions end.
    public func changePassword(for principal: Principal, session: String?, current: String, new: String) async throws {
        let now = sessions.clock.now()
        guard let account = try await pool.withConnection({ try Account.find(principal.subject, on: $0) }),
            let stored = try await pool.query("SELECT password_hash FROM auth.credentials WHERE subject = $1", [principal.subject]).first?.decode(
                String?.self, at: 0)
        else { throw Problem.forbidden("this account has no password to change") }
        guard try await sessions.hasher.verify(current, against: stored) else {
            try await sessions.failed(account, reason: "password-change", address: nil, at: now)
            throw Problem.validation([.init(field: "current_password", message: "is not the current password")])
        }
        if let why = PasswordPolicy.refusal(new, subject: account.subject, displayName: account.displayName) {
            throw Problem.validation([.init(field: "new_password", message: why)])
        }
        let hash = try await sessions.hasher.hash(new)
        let keep = session.flatMap(UUID.init(uuidString:))
        try await pool.transaction { [chain, bus = sessions.bus, revocations = sessions.revocations] connection in
            try connection.execute(
                "UPDATE auth.credentials SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE subject = $1", [account.subject, hash, now])
            try SessionStore.revokeSessions(
                sessionsWhere: "subject = $1 AND id IS DISTINCT FROM $2", [account.subject, keep], reason: "password-change", by: principal, chain: chain,
                bus: bus, revocations: revocations, at: now, on: connection)
            try AuditLog.append(
                chain: chain, actor: principal, action: "password.change", target: SessionStore.target(account.subject), at: now, on: connection)
        }
    }

    /// An administrator's reset: the password and second factor are cleared, every session ends
    /// and a new activation code (valid a day) is returned to hand to the person.
    public func reset(_ subject: String, by admin: Principal) async throws -> String {
        let now = sessions.clock.now()
        let lifetime = sessions.policy.resetLifetime
        return try await pool.transaction { [chain, bus = sessions.bus, revocations = sessions.revocations] connection in
            guard let account = try Account.find(subject, on: connection) else { throw Problem.notFound("no account \(subject)") }
            guard account.role != .service else { throw Problem.conflict("service-account", "service accounts have client secrets, not passwords") }
            try connection.execute(
                """
                UPDATE auth.credentials SET password_hash = NULL, totp_secret = NULL, totp_confirmed_at = NULL, failed_attempts = 0,
                    last_failed_at = NULL, locked_until = NULL, updated_at = $2
                WHERE subject = $1
                """, [subject, now])
            try SessionStore.revokeSessions(
                sessionsWhere: "subject = $1", [subject], reason: "reset", by: admin, chain: chain, bus: bus, revocations: revocations, at: now, on: connection)
            return try Self.issueCode(for: subject, purpose: "reset", lifetime: lifetime, by: admin, chain: chain, at: now, on: connection)
        }
    }

    /// Lifts a lock before it runs out (the person proved who they are another way).
    public func unlock(_ subject: String, by admin: Principal) async throws {
        let now = sessions.clock.now()
        try await pool.transaction { [chain] connection in
            let changed = try connection.execute(
                "UPDATE auth.credentials SET locked_until = NULL, failed_attempts = 0, last_failed_at = NULL, updated_at = $2 WHERE subject = $1",
                [subject, now])
            guard changed == 1 else { throw Problem.notFound("no credentials for \(subject)") }
            try AuditLog.append(chain: chain, actor: admin, action: "account.unlock", target: SessionStore.target(subject), at: now, on: connection)
        }
    }
}

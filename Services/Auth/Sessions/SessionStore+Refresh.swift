import Audit
import Daemon
import EventBus
import Foundation
import GridCore
import Postgres

extension SessionStore {
    /// RFC 6749's answer to a refresh token that is unknown, expired, spent or of a revoked session.
    static func invalidGrant(_ detail: String) -> Problem { Problem.oauth("invalid_grant", detail, title: "The grant is not valid") }

    /// Spends `token` and gives the session's next one. A spent token used again means it was
    /// copied: the whole session is revoked, for the thief and the owner alike.
    public func refresh(_ token: String) async throws -> Opened {
        let now = clock.now()
        let policy = policy
        let spent = OneTimeSecret.hash(token)
        let outcome = try await pool.transaction { [chain, bus, revocations] connection -> Refreshed in
            guard
                let row = try connection.query(
                    """
                    SELECT r.session_id, r.expires_at, r.spent_at IS NOT NULL, s.subject, s.client, s.expires_at, s.revoked_at IS NOT NULL
                    FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id
                    WHERE r.token_hash = $1 FOR UPDATE OF r, s
                    """, [spent]
                ).first
            else { return .invalid("the refresh token is not known") }
            let session: UUID = try row.decode(at: 0)
            let subject: String = try row.decode(at: 3)
            if try row.decode(Bool.self, at: 6) { return .invalid("the session was revoked") }
            if try row.decode(Bool.self, at: 2) {
                try Self.revokeSessions(
                    sessionsWhere: "id = $1", [session], reason: "refresh-reuse", by: Principal(subject: subject, role: .service, scope: .district),
                    chain: chain, bus: bus, revocations: revocations, at: now, on: connection)
                return .reused
            }
            guard try row.decode(Date.self, at: 1) > now, try row.decode(Date.self, at: 5) > now else { return .invalid("the session has expired") }
            guard let account = try Account.find(subject, on: connection), let client = Client(rawValue: try row.decode(at: 4)) else {
                return .invalid("the account is gone")
            }
            let sessionEnds: Date = try row.decode(at: 5)
            let idle = client == .browser ? policy.browserIdle : policy.appIdle
            let next = OneTimeSecret.refreshToken()
            let nextExpires = min(sessionEnds, now.addingTimeInterval(TimeInterval(idle.components.seconds)))
            try connection.execute("UPDATE auth.refresh_tokens SET spent_at = $2 WHERE token_hash = $1", [spent, now])
            try connection.execute(
                "INSERT INTO auth.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)",
                [OneTimeSecret.hash(next), session, now, nextExpires])
            try connection.execute("UPDATE auth.sessions SET last_used_at = $2 WHERE id = $1", [session, now])
            return .refreshed(Opened(account: account, session: session, client: client, refreshToken: next, refreshExpiresAt: nextExpires))
        }
        switch outcome {
        case .refreshed(let opened): return opened
        case .invalid(let why): throw Self.invalidGrant(why)
        case .reused: throw Self.invalidGrant("the refresh token was used before; the session is revoked, sign in again")
        }
    }

    /// RFC 7009: ends the session of a refresh token, if it is one (nothing is told either way).
    public func revoke(refreshToken token: String) async throws {
        let now = clock.now()
        try await pool.transaction { [chain, bus, revocations] connection in
            guard
                let row = try connection.query(
                    "SELECT s.id, s.subject FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id WHERE r.token_hash = $1",
                    [OneTimeSecret.hash(token)]
                ).first
            else { return }
            let session: UUID = try row.decode(at: 0)
            let subject: String = try row.decode(at: 1)
            try Self.revokeSessions(
                sessionsWhere: "id = $1", [session], reason: "sign-out", by: Principal(subject: subject, role: .service, scope: .district), chain: chain,
                bus: bus, revocations: revocations, at: now, on: connection)
        }
    }

    /// Ends the session of the caller's access token.
    public func signOut(context: DaemonRequestContext) async throws {
        let principal = try context.authenticated()
        guard let text = context.session, let session = UUID(uuidString: text) else {
            throw Problem.conflict("no-session", "this token belongs to no sign-in session")
        }
        try await revoke(session: session, of: principal.subject, reason: "sign-out", by: principal)
    }

    /// Ends one session of `subject` (the caller's own, or any for an administrator).
    public func revoke(session: UUID, of subject: String, reason: String, by actor: Principal) async throws {
        let now = clock.now()
        try await pool.transaction { [chain, bus, revocations] connection in
            try Self.revokeSessions(
                sessionsWhere: "id = $1 AND subject = $2", [session, subject], reason: reason, by: actor, chain: chain, bus: bus, revocations: revocations,
                at: now, on: connection)
        }
    }

    /// Ends every session of `subject` (on leave, transferred, dismissed): how many were live.
    public func revokeAll(of subject: String, by admin: Principal) async throws -> Int {
        let now = clock.now()
        return try await pool.transaction { [chain, bus, revocations] connection in
            guard try Account.find(subject, on: connection) != nil else { throw Problem.notFound("no account \(subject)") }
            return try Self.revokeSessions(
                sessionsWhere: "subject = $1", [subject], reason: "administrator", by: admin, chain: chain, bus: bus, revocations: revocations, at: now,
                on: connection
            ).count
        }
    }

    enum Refreshed: Sendable {
        case refreshed(Opened)
        case invalid(String)
        case reused
    }

    /// Revokes the sessions `predicate` picks (over `auth.sessions`) that are still live; each is
    /// announced on the bus (`session.revoked`, the id only) and every daemon is told at once
    /// (`NOTIFY gridmesh_revocations`, delivered at commit). Returns the ids revoked.
    @discardableResult
    static func revokeSessions(
        sessionsWhere predicate: String, _ parameters: [any PostgresEncodable], reason: String, by actor: Principal, chain: String, bus: EventBus,
        revocations: SessionRevocations, at now: Date, on connection: PostgresConnection
    ) throws -> [UUID] {
        let reasonIndex = parameters.count + 1
        let rows = try connection.query(
            """
            UPDATE auth.sessions SET revoked_at = $\(reasonIndex + 1), revoked_reason = $\(reasonIndex)
            WHERE revoked_at IS NULL AND expires_at > $\(reasonIndex + 1) AND \(predicate)
            RETURNING id, subject
            """, parameters + [reason, now])
        var revoked: [UUID] = []
        for row in rows {
            let id: UUID = try row.decode(at: 0)
            let subject: String = try row.decode(at: 1)
            revoked.append(id)
            try bus.publish("session.revoked", SessionRevoked(sessionID: id.uuidString.lowercased(), reason: reason), at: now, on: connection)
            try AuditLog.append(
                chain: chain, actor: actor, action: "session.revoke", target: target(subject), reason: "\(reason): session \(id.uuidString.lowercased())",
                at: now, on: connection)
        }
        if !revoked.isEmpty {
            try connection.execute("SELECT pg_notify($1, '')", [SessionRevocations.channel])
            // this process refuses them from the commit on, not from when its own notification comes back
            let ids = Set(revoked.map { $0.uuidString.lowercased() })
            connection.onCommit { revocations.add(ids) }
        }
        return revoked
    }

    struct SessionRevoked: Encodable {
        let sessionID: String
        let reason: String
    }
}

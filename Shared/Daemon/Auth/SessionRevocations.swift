import EventBus
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// The sign-in sessions revoked lately (sign-out, a spent refresh token used again, an
/// administrator's revocation), which every daemon refuses even while their access tokens are
/// still within their ten minutes.
///
/// authd revokes a session in a transaction that also publishes `session.revoked` on the bus and
/// sends `NOTIFY gridmesh_revocations`. A bus delivery reaches one instance of each subscriber, but
/// a revocation must reach every instance of every daemon, so each instance LISTENs on the channel
/// and reloads the list from `auth.revoked_sessions` (ids only, the last hour: longer than any
/// access token lives) — on the notification, on every (re)connection of its listener (what was
/// sent meanwhile is lost) and every `interval` besides.
public final class SessionRevocations: Sendable {
    public static let channel = "gridmesh_revocations"
    private let ids = Mutex<Set<String>>([])

    public init() {}

    public func contains(_ session: String) -> Bool { ids.withLock { $0.contains(session) } }

    public func replace(with sessions: Set<String>) { ids.withLock { $0 = sessions } }

    /// Sessions this process itself just revoked (the reload that follows keeps them).
    public func add(_ sessions: Set<String>) { ids.withLock { $0.formUnion(sessions) } }
}

/// Keeps a process's `SessionRevocations` current (see there).
public struct RevocationWatch: Service {
    let revocations: SessionRevocations
    let pool: PostgresPool
    let listener: PostgresListener
    let interval: Duration
    let logger: Logger

    public init(revocations: SessionRevocations, pool: PostgresPool, listener: PostgresListener, interval: Duration = .seconds(30), logger: Logger) {
        self.revocations = revocations
        self.pool = pool
        self.listener = listener
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await drainWhenWoken(listener: listener, channel: SessionRevocations.channel, poll: interval) { try? await reload() }
    }

    func reload() async throws {
        do {
            let rows = try await pool.query("SELECT session_id::text FROM auth.revoked_sessions")
            revocations.replace(with: Set(try rows.map { try $0.decode(String.self, at: 0) }))
        } catch {
            logger.warning("cannot reload revoked sessions", metadata: ["error": "\(error)"])
            throw error
        }
    }
}

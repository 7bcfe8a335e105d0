import Foundation
import GridCore
import Logging

/// A bounded pool of libpq connections, each owned by a thread of the pool.
///
/// Every libpq call happens on those threads: `withConnection` and `transaction` hand a synchronous
/// closure to a free thread and suspend the calling task until it is done, so the cooperative pool and
/// the event loops never block on the database.
public final class PostgresPool: Sendable {
    public struct Configuration: Sendable {
        /// A libpq conninfo string or URI; empty means libpq's defaults (`PG*` variables, service file).
        public var conninfo: String
        /// How many connections (and threads) at most.
        public var size: Int
        /// How long a caller waits for a free connection before `poolTimeout`.
        public var acquireTimeout: Duration
        public var session: SessionSettings

        public init(conninfo: String = "", size: Int = 4, acquireTimeout: Duration = .seconds(5), session: SessionSettings = .init()) {
            self.conninfo = conninfo
            self.size = max(1, size)
            self.acquireTimeout = acquireTimeout
            self.session = session
        }
    }

    public let configuration: Configuration
    private let threads: WorkerThreads<PostgresConnection?>
    private let logger: Logger

    public init(_ configuration: Configuration, logger: Logger = Logger(label: "gridmesh.postgres")) {
        self.configuration = configuration
        self.logger = logger
        self.threads = WorkerThreads(count: configuration.size, name: "pg-pool") { nil }
    }

    /// Runs `body` with a connection on a pool thread. The thread's connection is opened on first
    /// use and opened again after it was lost.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        let configuration = configuration
        let logger = logger
        let threads = threads
        return try await threads.run(
            { connection in
                guard !threads.isClosed else { throw PostgresError(code: .poolClosed, message: "the connection pool is closed") }
                guard ContinuousClock.now <= deadline else {
                    throw PostgresError(code: .poolTimeout, message: "no database connection became free in time")
                }
                if let current = connection, !current.isHealthy { connection = nil }
                let open: PostgresConnection
                if let current = connection {
                    open = current
                } else {
                    do {
                        open = try PostgresConnection(conninfo: configuration.conninfo, settings: configuration.session)
                    } catch {
                        logger.warning("database connection failed", metadata: ["error": "\(error)"])
                        throw error
                    }
                    connection = open
                }
                return try body(open)
            }, closedError: PostgresError(code: .poolClosed, message: "the connection pool is closed"))
    }

    /// Runs `body` in a transaction on a pool thread, retrying the whole transaction after a
    /// serialization failure or a deadlock (up to `retries` more times, with a short random pause).
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, statementTimeout: Duration? = nil, retries: Int = 3,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try retryingTransient(retries: retries) {
                try connection.transaction(isolation: isolation, statementTimeout: statementTimeout, body)
            }
        }
    }

    /// Shorthand for one statement on a pooled connection, outside any explicit transaction.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresRows {
        let parameters = PostgresParameters(parameters)
        return try await withConnection { try $0.query(sql, parameters.values) }
    }

    /// Fails new work, lets queued work finish with an error and closes every connection.
    public func close() { threads.close() }
}

/// Retries `body` after serialization failures and deadlocks, with jittered pauses on the calling
/// (pool-owned) thread.
public func retryingTransient<T>(retries: Int = 3, _ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
        do {
            return try body()
        } catch let error as PostgresError where error.isTransient && attempt < retries {
            attempt += 1
            usleep(UInt32.random(in: 1_000...(10_000 * UInt32(attempt))))
        }
    }
}

/// Query parameters on their way to a pool thread. Every `PostgresEncodable` is a value type,
/// so carrying them across is safe; the existential array just cannot say so itself.
public struct PostgresParameters: @unchecked Sendable {
    public let values: [any PostgresEncodable]
    public init(_ values: [any PostgresEncodable]) { self.values = values }
}

import Foundation
import Postgres
import Testing

@Suite("PostgreSQL transactions and errors")
final class TransactionTests {
    let database: TestDatabase
    let pool: PostgresPool

    init() async throws {
        database = try await TestDatabase.make()
        pool = database.pool()
        try await pool.query("CREATE TABLE t (id int PRIMARY KEY, note text NOT NULL)")
    }

    /// Each test's pool and database go when it ends: the suite runs many tests at once.
    deinit {
        pool.close()
        database.drop()
    }

    struct Boom: Error {}

    @Test func aThrowingBodyRollsBackEverything() async throws {
        await #expect(throws: Boom.self) {
            try await pool.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1, 'kept?')")
                throw Boom()
            }
        }
        #expect(try await pool.query("SELECT count(*) FROM t").first!.decode(Int.self, at: 0) == 0)
        // the connection is usable again afterwards
        try await pool.transaction { try $0.execute("INSERT INTO t VALUES (2, 'yes')") }
        #expect(try await pool.query("SELECT note FROM t WHERE id = 2").first!.decode(String.self, at: 0) == "yes")
    }

    @Test func errorsCarrySQLStateAndTheServersWords() async throws {
        try await pool.query("INSERT INTO t VALUES (7, 'x')")
        do {
            try await pool.query("INSERT INTO t VALUES (7, 'again')")
            Issue.record("expected a unique violation")
        } catch let error as PostgresError {
            #expect(error.code == .uniqueViolation)
            #expect(error.constraint == "t_pkey")
            #expect(error.message.contains("duplicate key"))
        }
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT * FROM no_such_table") }
    }

    @Test func aNotifyHintIsSentOnlyAfterCommit() async throws {
        let committed = Counter()
        try await pool.transaction { connection in
            connection.onCommit { committed.add() }
            try connection.execute("INSERT INTO t VALUES (10, 'a')")
        }
        await #expect(throws: Boom.self) {
            try await pool.transaction { connection in
                connection.onCommit { committed.add() }
                throw Boom()
            }
        }
        #expect(committed.value == 1)
    }

    @Test func serializationFailuresAreRetried() async throws {
        try await pool.query("INSERT INTO t VALUES (100, '0')")
        let attempts = Counter()
        let read = Counter()
        // Two serializable transactions that read and write the same row: one must fail with 40001
        // and, retried, succeed. Neither writes before both have read (first attempts only).
        @Sendable func increment(_ connection: PostgresConnection) throws {
            attempts.add()
            let value = Int(try connection.query("SELECT note FROM t WHERE id = 100").first!.decode(String.self, at: 0))!
            read.add()
            let deadline = Date().addingTimeInterval(10)
            while read.value < 2 && Date() < deadline { usleep(1000) }
            try connection.execute("UPDATE t SET note = $1 WHERE id = 100", [String(value + 1)])
        }
        let pool = self.pool
        async let first: Void = pool.transaction(isolation: .serializable, increment)
        async let second: Void = pool.transaction(isolation: .serializable, increment)
        _ = try await (first, second)
        #expect(try await pool.query("SELECT note FROM t WHERE id = 100").first!.decode(String.self, at: 0) == "2")
        #expect(attempts.value >= 3)
    }

    @Test func statementTimeoutCancelsALongQuery() async throws {
        do {
            try await pool.transaction(statementTimeout: .milliseconds(100)) { try $0.execute("SELECT pg_sleep(2)") }
            Issue.record("expected a timeout")
        } catch let error as PostgresError {
            #expect(error.code == .queryCanceled)
        }
    }

    @Test func aBoundedPoolQueuesAndTimesOut() async throws {
        let small = PostgresPool(.init(conninfo: database.conninfo(), size: 1, acquireTimeout: .milliseconds(200)))
        defer { small.close() }
        async let slow: PostgresRows = small.query("SELECT pg_sleep(3) -- holding the pool")
        // the one connection is busy before the second caller asks
        let admin = database.pool(size: 1)
        defer { admin.close() }
        try await TestSupport.within {
            while try await admin.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%holding the pool' AND pid <> pg_backend_pid()").count == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        do {
            try await small.query("SELECT 1")
            Issue.record("expected the pool to time out")
        } catch let error as PostgresError {
            #expect(error.code == .poolTimeout)
        }
        _ = try await slow
    }

    @Test func aLostConnectionIsReplacedOnNextUse() async throws {
        let single = PostgresPool(.init(conninfo: database.conninfo(), size: 1))
        defer { single.close() }
        let pid = try await single.query("SELECT pg_backend_pid()").first!.decode(Int32.self, at: 0)
        let admin = database.pool(size: 1)
        defer { admin.close() }
        try await admin.query("SELECT pg_terminate_backend($1)", [pid])
        try await TestSupport.within {
            while try await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]).count > 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        let next = try await single.query("SELECT pg_backend_pid()").first!.decode(Int32.self, at: 0)
        #expect(next != pid)
    }
}

/// A thread-safe counter for closures that run on pool threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

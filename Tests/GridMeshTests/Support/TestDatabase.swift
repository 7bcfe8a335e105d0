import Foundation
import GridCore
import GridCtl
import Logging
import Postgres
import Testing

/// A database of its own for one test, copied from a template that holds every migration and the
/// demo seed. The cluster comes from libpq's `PG*` variables (scripts/test starts a throwaway one).
struct TestDatabase {
    let name: String

    /// A libpq conninfo for this database as `user` (a daemon's role, or the superuser).
    func conninfo(user: String? = nil) -> String {
        "dbname=\(name)" + (user.map { " user=\($0)" } ?? "")
    }

    func pool(user: String? = nil, size: Int = 4) -> PostgresPool {
        PostgresPool(.init(conninfo: conninfo(user: user), size: size))
    }

    func connect(user: String? = nil) throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo(user: user))
    }

    static func make() async throws -> TestDatabase {
        TestSupport.bootstrap
        return try await Templates.shared.copy()
    }

    func drop() {
        _ = try? PostgresConnection(conninfo: "dbname=postgres").execute(script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// Makes the template once per test process, named after the migrations and the seed so a changed
/// schema or seed gets a new template on a long-lived cluster.
actor Templates {
    static let shared = Templates()
    private var template: String?

    func copy() throws -> TestDatabase {
        let admin = try PostgresConnection(conninfo: "dbname=postgres")
        let template = try ensureTemplate(admin)
        let name = "gm_test_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.execute(script: "CREATE DATABASE \(name) TEMPLATE \(template)")
        return TestDatabase(name: name)
    }

    private func ensureTemplate(_ admin: PostgresConnection) throws -> String {
        if let template { return template }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (MeshMigrations.all.map(\.sql).joined() + DemoSeed.fingerprint).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let name = "gm_template_\(String(hash, radix: 16))"
        try admin.execute("SELECT pg_advisory_lock(4242)")
        defer { _ = try? admin.execute("SELECT pg_advisory_unlock(4242)") }
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]).count == 1
        if !exists {
            // (a build an earlier process left half done goes first)
            try admin.execute(script: "DROP DATABASE IF EXISTS \(name)_build WITH (FORCE)")
            try admin.execute(script: "CREATE DATABASE \(name)_build")
            do {
                let connection = try PostgresConnection(conninfo: "dbname=\(name)_build")
                _ = try Migrator.migrate(MeshMigrations.all, on: connection)
                _ = try DemoSeed.run(on: connection)
            }
            try admin.execute(script: "ALTER DATABASE \(name)_build RENAME TO \(name)")
        }
        template = name
        return name
    }
}

enum TestSupport {
    /// Quiet logs unless GRIDMESH_TEST_LOG names a level.
    static let bootstrap: Void = {
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["GRIDMESH_TEST_LOG"] ?? "critical") ?? .critical
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// An observation time safely in the past of the mesh clock, as RFC 3339.
    static var anHourAgo: String { TestClock.rfc3339(-3600) }

    /// Waits until meetingd has heard of `findings` from patrold (`finding.submitted`): a committee
    /// links only findings of its street that patrold announced.
    static func announcedToMeetingd(_ findings: [String], in database: TestDatabase) async throws {
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let heard = try await eventually {
            try await pool.query("SELECT count(*)::int FROM meeting.finding_intake WHERE finding_id::text = ANY($1)", [findings.map { $0.lowercased() }])
                .first!.decode(Int.self, at: 0) == findings.count
        }
        guard heard else { throw Failure("meetingd never heard of \(findings)") }
    }

    /// `body`'s result, or a failure if it takes longer than `timeout` (a stream that never ends
    /// fails the test instead of hanging the run).
    static func within<T: Sendable>(_ timeout: Duration = .seconds(15), _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw Failure("did not finish within \(timeout)") }
            return result
        }
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}

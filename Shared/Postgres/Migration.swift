import Foundation

/// One versioned step of one schema's SQL. Versions are applied in order, once, each in its own
/// transaction; an applied migration whose text later changes is refused.
public struct Migration: Sendable {
    public let schema: String
    public let version: Int
    public let name: String
    public let sql: String

    public init(schema: String, version: Int, name: String, sql: String) {
        self.schema = schema
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a over the SQL text: enough to notice an edited migration.
    var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Applies migrations under an advisory lock, so concurrent `gridctl migrate` runs wait for each other.
public enum Migrator {
    public struct Report: Sendable {
        public var applied: [String] = []
        public var alreadyApplied = 0
    }

    static let lockKey = 0x6772_6964_6d73_6821  // "gridmsh!"

    public static func migrate(_ migrations: [Migration], on connection: PostgresConnection) throws -> Report {
        try connection.execute("SELECT pg_advisory_lock($1)", [lockKey])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [lockKey]) }
        try connection.execute(
            script: """
                CREATE SCHEMA IF NOT EXISTS mesh;
                CREATE TABLE IF NOT EXISTS mesh.schema_migrations (
                    schema_name text NOT NULL,
                    version integer NOT NULL,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (schema_name, version)
                );
                """)
        var applied: [String: String] = [:]
        for row in try connection.query("SELECT schema_name, version, checksum FROM mesh.schema_migrations") {
            applied["\(try row.decode(String.self, at: 0))/\(try row.decode(Int.self, at: 1))"] = try row.decode(String.self, at: 2)
        }
        var report = Report()
        for migration in migrations {
            let key = "\(migration.schema)/\(migration.version)"
            if let checksum = applied[key] {
                guard checksum == migration.checksum else {
                    throw PostgresError(
                        code: Code.editedMigration,
                        message: "migration \(key) \(migration.name) was changed after it was applied; add a new migration instead")
                }
                report.alreadyApplied += 1
                continue
            }
            try connection.transaction { connection in
                try connection.execute(script: migration.sql)
                try connection.execute(
                    "INSERT INTO mesh.schema_migrations (schema_name, version, name, checksum) VALUES ($1, $2, $3, $4)",
                    [migration.schema, migration.version, migration.name, migration.checksum])
            }
            report.applied.append("\(key) \(migration.name)")
        }
        return report
    }

    /// The highest applied version of a schema (0 when none), for a daemon's start-up check.
    public static func appliedVersion(of schema: String, on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT coalesce(max(version), 0) FROM mesh.schema_migrations WHERE schema_name = $1", [schema])
            .first!.decode(Int.self, at: 0)
    }

    private typealias Code = PostgresError.Code
}

extension PostgresError.Code {
    /// Client side: a migration's text differs from the one applied.
    public static let editedMigration = PostgresError.Code(rawValue: "GMMIG")
}

import Postgres

/// Version 12: Open311 API keys, one per client, bound to one account of the directory and good
/// on the Open311 routes only; only their SHA-256 is kept.
enum Open311KeyMigration {
    static let migration = Migration(
        schema: "patrol", version: 12, name: "open311 keys",
        sql: """
            CREATE TABLE patrol.open311_keys (
                id uuid PRIMARY KEY,
                key_hash bytea NOT NULL UNIQUE,
                subject text NOT NULL REFERENCES geo.accounts (subject),
                client text NOT NULL CHECK (char_length(client) BETWEEN 1 AND 80),
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                last_used_at timestamptz,
                revoked_at timestamptz
            );
            CREATE INDEX open311_keys_live ON patrol.open311_keys (created_at) WHERE revoked_at IS NULL;
            GRANT SELECT, INSERT, UPDATE ON patrol.open311_keys TO patrold;
            """)
}

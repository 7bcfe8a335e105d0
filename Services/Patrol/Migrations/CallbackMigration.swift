import Postgres

/// patrol v8: the secrets agencies sign their progress callbacks with (newest first; an older one
/// stays valid during a rotation's overlap).
enum CallbackMigration {
    static let migration = Migration(
        schema: "patrol", version: 8, name: "agency callback secrets",
        sql: """
            CREATE TABLE patrol.agency_callbacks (
                agency_code text PRIMARY KEY REFERENCES geo.agencies (code),
                secrets text[] NOT NULL CHECK (cardinality(secrets) BETWEEN 1 AND 3),
                rotated_at timestamptz NOT NULL
            );
            GRANT SELECT ON patrol.agency_callbacks TO patrold;
            """)
}

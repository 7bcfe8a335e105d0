import Postgres

/// meeting v10: the secrets agencies sign their action-item callbacks with (the same secret an
/// agency uses for patrold; `gridctl callbacks secret` sets both).
enum AgencyCallbackMigration {
    static let migration = Migration(
        schema: "meeting", version: 10, name: "agency callback secrets",
        sql: """
            CREATE TABLE meeting.agency_callbacks (
                agency_code text PRIMARY KEY REFERENCES geo.agencies (code),
                -- newest first; the previous one stays valid until the next rotation
                secrets text[] NOT NULL,
                rotated_at timestamptz NOT NULL
            );
            GRANT SELECT ON meeting.agency_callbacks TO meetingd;
            """)
}

import Postgres

/// meeting v7: weekly bulletins (一周一通报), per street and for the district.
enum BulletinMigration {
    static let migration = Migration(
        schema: "meeting", version: 7, name: "weekly bulletins",
        sql: """
            CREATE TABLE meeting.bulletins (
                id uuid PRIMARY KEY,
                -- 'street:CODE' or 'district'
                scope text NOT NULL,
                week_start date NOT NULL,
                generated_at timestamptz NOT NULL,
                body jsonb NOT NULL
            );
            CREATE INDEX bulletins_scope_week ON meeting.bulletins (scope, week_start DESC, generated_at DESC);
            GRANT SELECT, INSERT ON meeting.bulletins TO meetingd;
            """)
}

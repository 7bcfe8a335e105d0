import Postgres

/// Version 13: calendar feed capabilities. A calendar app cannot send a header, so each person gets
/// feed URLs holding a random capability that reads that one feed and nothing else; only its SHA-256
/// is kept, and the feed reads with its owner's current role and scope from the directory.
enum CalendarFeedMigration {
    static let migration = Migration(
        schema: "meeting", version: 13, name: "calendar feed capabilities",
        sql: """
            CREATE TABLE meeting.calendar_feeds (
                id uuid PRIMARY KEY,
                capability_hash bytea NOT NULL UNIQUE,
                subject text NOT NULL REFERENCES geo.accounts (subject),
                kind text NOT NULL CHECK (kind IN ('street', 'member')),
                street_code text REFERENCES geo.streets (code),
                label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 60),
                created_at timestamptz NOT NULL,
                last_read_at timestamptz,
                revoked_at timestamptz,
                CHECK ((kind = 'street') = (street_code IS NOT NULL))
            );
            CREATE INDEX calendar_feeds_subject ON meeting.calendar_feeds (subject, created_at) WHERE revoked_at IS NULL;
            GRANT SELECT, INSERT, UPDATE ON meeting.calendar_feeds TO meetingd;
            """)
}

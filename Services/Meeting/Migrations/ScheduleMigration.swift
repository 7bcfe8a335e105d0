import Postgres

/// meeting v2: committees with their membership history, recurring series and meetings.
enum ScheduleMigration {
    static let migration = Migration(
        schema: "meeting", version: 2, name: "committees, series and meetings",
        sql: """
            CREATE TABLE meeting.committees (
                street_code text PRIMARY KEY REFERENCES geo.streets (code),
                quorum integer NOT NULL DEFAULT 4 CHECK (quorum BETWEEN 1 AND 5),
                created_at timestamptz NOT NULL
            );

            -- Who heads each agency on the committee, and since when; history is kept.
            CREATE TABLE meeting.members (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                street_code text NOT NULL REFERENCES meeting.committees (street_code),
                agency_code text NOT NULL REFERENCES geo.agencies (code),
                subject text NOT NULL CHECK (subject ~ '^[a-z0-9._-]+$'),
                display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
                since date NOT NULL,
                until date,
                CHECK (until IS NULL OR until >= since)
            );
            CREATE UNIQUE INDEX members_one_current_head ON meeting.members (street_code, agency_code) WHERE until IS NULL;
            CREATE INDEX members_subject ON meeting.members (subject);

            CREATE TABLE meeting.series (
                id uuid PRIMARY KEY,
                street_code text NOT NULL REFERENCES meeting.committees (street_code),
                title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
                rrule text NOT NULL,
                first_start timestamptz NOT NULL,
                duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
                location text CHECK (char_length(location) <= 200),
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                -- occurrences exist up to here
                generated_until timestamptz NOT NULL
            );

            CREATE TABLE meeting.meetings (
                id uuid PRIMARY KEY,
                street_code text NOT NULL REFERENCES meeting.committees (street_code),
                series_id uuid REFERENCES meeting.series (id),
                -- the slot the series gave it, even after a move
                occurrence_start timestamptz,
                title text NOT NULL,
                starts_at timestamptz NOT NULL,
                ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
                location text,
                state text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'in_progress', 'closed', 'cancelled')),
                note text CHECK (char_length(note) <= 500),
                -- iCalendar SEQUENCE: bumped by every change a calendar must pick up
                sequence integer NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL,
                UNIQUE (series_id, occurrence_start)
            );
            CREATE INDEX meetings_street_time ON meeting.meetings (street_code, starts_at);

            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA meeting TO meetingd;
            """)
}

import Postgres

/// meeting v6: rectification orders (限期整改) to an agency or a community.
enum RectificationMigration {
    static let migration = Migration(
        schema: "meeting", version: 6, name: "rectification orders",
        sql: """
            CREATE TABLE meeting.rectifications (
                id uuid PRIMARY KEY,
                street_code text NOT NULL REFERENCES meeting.committees (street_code),
                meeting_id uuid REFERENCES meeting.meetings (id),
                target_kind text NOT NULL CHECK (target_kind IN ('agency', 'community')),
                target_code text NOT NULL,
                notice text NOT NULL CHECK (char_length(notice) BETWEEN 1 AND 2000),
                deadline date NOT NULL,
                state text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'responded', 'verified')),
                response text,
                escalated_at timestamptz,
                issued_by text NOT NULL,
                issued_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX rectifications_street ON meeting.rectifications (street_code, state, deadline);
            CREATE INDEX rectifications_due ON meeting.rectifications (deadline) WHERE state = 'issued' AND escalated_at IS NULL;

            CREATE TABLE meeting.rectification_changes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                rectification_id uuid NOT NULL REFERENCES meeting.rectifications (id),
                change text NOT NULL CHECK (change IN ('issue', 'respond', 'verify', 'reject', 'escalate')),
                detail text,
                actor text NOT NULL,
                at timestamptz NOT NULL
            );
            CREATE INDEX rectification_changes_order ON meeting.rectification_changes (rectification_id, id);
            GRANT SELECT, INSERT, UPDATE ON meeting.rectifications, meeting.rectification_changes TO meetingd;
            """)
}

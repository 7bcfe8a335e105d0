import Postgres

/// meeting v3: agendas built from the mesh's events, attendance, outcomes and action items.
enum AgendaMigration {
    static let migration = Migration(
        schema: "meeting", version: 3, name: "agendas, attendance, outcomes, action items",
        sql: """
            -- What the street's next meeting should look at, as heard from other daemons.
            CREATE TABLE meeting.agenda_candidates (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                street_code text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('hotspot', 'overdue_finding')),
                ref text NOT NULL,
                severity integer NOT NULL,
                title text NOT NULL,
                detail jsonb NOT NULL DEFAULT '{}',
                raised_at timestamptz NOT NULL,
                taken_by uuid,
                UNIQUE (kind, ref)
            );
            CREATE INDEX agenda_candidates_open ON meeting.agenda_candidates (street_code, raised_at) WHERE taken_by IS NULL;

            CREATE TABLE meeting.agenda_items (
                meeting_id uuid NOT NULL REFERENCES meeting.meetings (id),
                position integer NOT NULL,
                kind text NOT NULL CHECK (kind IN ('hotspot', 'overdue_finding', 'overdue_action_item', 'member_item')),
                ref text,
                severity integer NOT NULL,
                title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
                added_by text,
                PRIMARY KEY (meeting_id, position)
            );

            -- Items members add before the meeting starts.
            CREATE TABLE meeting.proposed_items (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                meeting_id uuid NOT NULL REFERENCES meeting.meetings (id),
                title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
                severity integer NOT NULL CHECK (severity BETWEEN 1 AND 5),
                added_by text NOT NULL,
                added_at timestamptz NOT NULL
            );

            CREATE TABLE meeting.attendance (
                meeting_id uuid NOT NULL REFERENCES meeting.meetings (id),
                agency_code text NOT NULL REFERENCES geo.agencies (code),
                subject text,
                present boolean NOT NULL,
                PRIMARY KEY (meeting_id, agency_code)
            );

            CREATE TABLE meeting.outcomes (
                id uuid PRIMARY KEY,
                meeting_id uuid NOT NULL REFERENCES meeting.meetings (id),
                agenda_position integer,
                kind text NOT NULL CHECK (kind IN ('information', 'decision', 'action_item')),
                text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
                recorded_by text NOT NULL,
                recorded_at timestamptz NOT NULL
            );

            CREATE TABLE meeting.action_items (
                id uuid PRIMARY KEY REFERENCES meeting.outcomes (id),
                meeting_id uuid NOT NULL REFERENCES meeting.meetings (id),
                street_code text NOT NULL,
                owner_agency text NOT NULL REFERENCES geo.agencies (code),
                title text NOT NULL,
                deadline date NOT NULL,
                finding_ids uuid[] NOT NULL DEFAULT '{}',
                state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'verified', 'reopened')),
                evidence text,
                overdue_at timestamptz,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX action_items_street ON meeting.action_items (street_code, state, deadline);

            INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ('meetingd', 'hotspot.detected'), ('meetingd', 'finding.overdue')
            ON CONFLICT (subscriber, topic_pattern) DO NOTHING;

            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA meeting TO meetingd;
            """)
}

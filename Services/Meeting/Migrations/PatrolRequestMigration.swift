import Postgres

/// meeting v4: what meetingd asks patrold to do for action items' linked findings, and what it
/// learned back from patrold's events.
enum PatrolRequestMigration {
    static let migration = Migration(
        schema: "meeting", version: 4, name: "patrol requests",
        sql: """
            CREATE TABLE meeting.linked_findings (
                action_item_id uuid NOT NULL REFERENCES meeting.action_items (id),
                finding_id uuid NOT NULL,
                -- requested → sent (patrold accepted) | refused (patrold said no); then patrold's own states by event
                state text NOT NULL DEFAULT 'requested',
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error text,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (action_item_id, finding_id)
            );
            CREATE INDEX linked_findings_due ON meeting.linked_findings (next_attempt_at) WHERE state = 'requested';
            CREATE INDEX linked_findings_finding ON meeting.linked_findings (finding_id);

            INSERT INTO mesh.subscriptions (subscriber, topic_pattern)
            VALUES ('meetingd', 'finding.dispatched'), ('meetingd', 'finding.resolved'), ('meetingd', 'finding.closed')
            ON CONFLICT (subscriber, topic_pattern) DO NOTHING;

            GRANT SELECT, INSERT, UPDATE, DELETE ON meeting.linked_findings TO meetingd;
            """)
}

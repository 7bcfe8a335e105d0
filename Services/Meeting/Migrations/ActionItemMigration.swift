import Postgres

/// meeting v5: every change of an action item, with who, when and why.
enum ActionItemMigration {
    static let migration = Migration(
        schema: "meeting", version: 5, name: "action item history",
        sql: """
            CREATE TABLE meeting.action_item_changes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                action_item_id uuid NOT NULL REFERENCES meeting.action_items (id),
                change text NOT NULL CHECK (change IN ('done', 'verify', 'reopen', 'move_deadline', 'overdue')),
                from_state text NOT NULL,
                to_state text NOT NULL,
                detail text CHECK (char_length(detail) <= 2000),
                actor text NOT NULL,
                at timestamptz NOT NULL
            );
            CREATE INDEX action_item_changes_item ON meeting.action_item_changes (action_item_id, id);
            CREATE INDEX action_items_due ON meeting.action_items (deadline) WHERE state IN ('open', 'reopened') AND overdue_at IS NULL;
            GRANT SELECT, INSERT ON meeting.action_item_changes TO meetingd;
            """)
}

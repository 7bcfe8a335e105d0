import Postgres

/// meeting v8: overdue rectification orders also go on the agenda.
enum AgendaKindsMigration {
    static let migration = Migration(
        schema: "meeting", version: 8, name: "rectification orders on the agenda",
        sql: """
            ALTER TABLE meeting.agenda_items DROP CONSTRAINT agenda_items_kind_check;
            ALTER TABLE meeting.agenda_items ADD CONSTRAINT agenda_items_kind_check
                CHECK (kind IN ('hotspot', 'overdue_finding', 'overdue_action_item', 'overdue_rectification', 'member_item'));
            """)
}

/// meeting v9: reentryd's overdue-contact counts per community go on the agenda (counts only).
enum ReentryAlertsMigration {
    static let migration = Migration(
        schema: "meeting", version: 9, name: "reentry alert counts on the agenda",
        sql: """
            ALTER TABLE meeting.agenda_candidates DROP CONSTRAINT agenda_candidates_kind_check;
            ALTER TABLE meeting.agenda_candidates ADD CONSTRAINT agenda_candidates_kind_check
                CHECK (kind IN ('hotspot', 'overdue_finding', 'reentry_alerts'));
            ALTER TABLE meeting.agenda_items DROP CONSTRAINT agenda_items_kind_check;
            ALTER TABLE meeting.agenda_items ADD CONSTRAINT agenda_items_kind_check
                CHECK (kind IN ('hotspot', 'overdue_finding', 'reentry_alerts', 'overdue_action_item', 'overdue_rectification', 'member_item'));
            INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ('meetingd', 'reentry.alerts_counted')
            ON CONFLICT (subscriber, topic_pattern) DO NOTHING;
            """)
}

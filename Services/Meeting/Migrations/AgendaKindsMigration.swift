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

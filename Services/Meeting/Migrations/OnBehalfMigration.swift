import Postgres

/// Version 12: whose authority patrold applies to an action item's linked findings — the person
/// who decided the item (the dispatch) and the agency that reported it done (the resolve), never
/// meetingd's own district-wide service account.
enum OnBehalfMigration {
    static let migration = Migration(
        schema: "meeting", version: 12, name: "linked findings on behalf of a person",
        sql: """
            ALTER TABLE meeting.action_items ADD COLUMN decided_for text, ADD COLUMN done_for text;
            """)
}

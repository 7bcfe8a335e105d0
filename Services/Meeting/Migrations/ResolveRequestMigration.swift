import Postgres

/// Version 11: an action item reported done asks patrold to resolve its linked findings, as
/// deciding it asked patrold to dispatch them; `wanted` says which request a row carries.
enum ResolveRequestMigration {
    static let migration = Migration(
        schema: "meeting", version: 11, name: "resolve requests",
        sql: """
            ALTER TABLE meeting.linked_findings ADD COLUMN wanted text NOT NULL DEFAULT 'dispatch' CHECK (wanted IN ('dispatch', 'resolve'));
            """)
}

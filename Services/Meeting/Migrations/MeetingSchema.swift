import Postgres

/// The `meeting` schema, owned by meetingd.
public enum MeetingSchema {
    public static let migrations: [Migration] = [
        Migration(
            schema: "meeting", version: 1, name: "finding intake",
            sql: """
                CREATE SCHEMA meeting;

                -- Findings heard of through `finding.submitted`: the raw material of street agendas.
                CREATE TABLE meeting.finding_intake (
                    event_id uuid PRIMARY KEY,
                    finding_id uuid NOT NULL UNIQUE,
                    street_code text NOT NULL,
                    community_code text NOT NULL,
                    grid_code text NOT NULL,
                    category text NOT NULL,
                    observed_at timestamptz NOT NULL,
                    received_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX finding_intake_street ON meeting.finding_intake (street_code, received_at DESC, finding_id);

                GRANT USAGE ON SCHEMA meeting TO meetingd;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA meeting TO meetingd;

                INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ('meetingd', 'finding.submitted')
                ON CONFLICT (subscriber, topic_pattern) DO NOTHING;
                """),
        ScheduleMigration.migration,
        AgendaMigration.migration,
        PatrolRequestMigration.migration,
        ActionItemMigration.migration,
        RectificationMigration.migration,
        BulletinMigration.migration,
        AgendaKindsMigration.migration,
        ReentryAlertsMigration.migration,
        AgencyCallbackMigration.migration,
        ResolveRequestMigration.migration,
        OnBehalfMigration.migration,
        CalendarFeedMigration.migration,
    ]

    public static var version: Int { migrations.last!.version }
}

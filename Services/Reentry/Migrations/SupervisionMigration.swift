import Postgres

/// reentry v3: overdue marks and alerts, visit requests to patrold, community counts for meetingd,
/// destruction records.
enum SupervisionMigration {
    static let migration = Migration(
        schema: "reentry", version: 3, name: "supervision, visits, retention",
        sql: """
            -- An obligation that went overdue: when, when it escalated, when it cleared. Alerts go out once.
            CREATE TABLE reentry.overdue_marks (
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                obligation_key text NOT NULL,
                contact_type text NOT NULL,
                due_on date NOT NULL,
                overdue_at timestamptz NOT NULL,
                escalated_at timestamptz,
                cleared_at timestamptz,
                PRIMARY KEY (case_id, obligation_key)
            );
            CREATE INDEX overdue_marks_open ON reentry.overdue_marks (case_id) WHERE cleared_at IS NULL;

            -- Each recipient's alert inbox.
            CREATE TABLE reentry.alerts (
                id uuid PRIMARY KEY,
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                recipient text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('contact_overdue', 'contact_escalated', 'reassessment_due')),
                obligation_key text,
                contact_type text,
                due_on date,
                created_at timestamptz NOT NULL,
                acknowledged_at timestamptz,
                UNIQUE (case_id, recipient, kind, obligation_key)
            );
            CREATE INDEX alerts_recipient ON reentry.alerts (recipient, created_at DESC) WHERE acknowledged_at IS NULL;

            -- Home visits asked of patrold for escalated cases: the case ref and the grid travel, nothing else.
            CREATE TABLE reentry.visit_requests (
                id uuid PRIMARY KEY,
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                obligation_key text NOT NULL,
                grid_code text NOT NULL,
                due_by timestamptz,
                -- requested → sent (patrold took it) | refused; reported when the visit comes back
                state text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'sent', 'refused', 'reported')),
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error text,
                created_at timestamptz NOT NULL,
                UNIQUE (case_id, obligation_key)
            );
            CREATE INDEX visit_requests_due ON reentry.visit_requests (next_attempt_at) WHERE state = 'requested';

            -- The last overdue count published per community (`reentry.alerts_counted` goes out on change).
            CREATE TABLE reentry.community_counts (
                community_code text PRIMARY KEY REFERENCES geo.communities (code),
                street_code text NOT NULL,
                overdue_contacts integer NOT NULL,
                published_at timestamptz NOT NULL
            );

            -- What retention destroyed: no personal data, only that it existed and when it went.
            CREATE TABLE reentry.destructions (
                case_id uuid PRIMARY KEY,
                case_ref text NOT NULL,
                kind text NOT NULL,
                community_code text NOT NULL,
                starts_on date NOT NULL,
                ends_on date NOT NULL,
                retention_days integer NOT NULL,
                removed jsonb NOT NULL,
                purged_at timestamptz NOT NULL,
                purged_by text NOT NULL
            );

            GRANT SELECT, INSERT, UPDATE, DELETE ON reentry.overdue_marks, reentry.alerts, reentry.visit_requests, reentry.community_counts TO reentryd;
            GRANT SELECT, INSERT ON reentry.destructions TO reentryd;

            INSERT INTO mesh.subscriptions (subscriber, topic_pattern) VALUES ('reentryd', 'visit.reported')
            ON CONFLICT (subscriber, topic_pattern) DO NOTHING;
            """)
}

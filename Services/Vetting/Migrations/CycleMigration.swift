import Postgres

/// vetting v1: election cycles, their four gates with two-person sign-off, the six campaigns' checklists.
enum CycleMigration {
    static let migration = Migration(
        schema: "vetting", version: 1, name: "cycles, gates, campaigns",
        sql: """
            CREATE SCHEMA vetting;
            REVOKE ALL ON SCHEMA vetting FROM PUBLIC;

            CREATE TABLE vetting.cycles (
                id uuid PRIMARY KEY,
                community_code text NOT NULL REFERENCES geo.communities (code),
                street_code text NOT NULL REFERENCES geo.streets (code),
                term text NOT NULL CHECK (term ~ '^[0-9]{4}$'),
                planned_election_on date NOT NULL,
                confirmed_election_on date,
                -- preparing → ready → confirmed → election; blocked while a gate has failed
                state text NOT NULL DEFAULT 'preparing' CHECK (state IN ('preparing', 'blocked', 'ready', 'confirmed', 'election')),
                contingency_plan text,
                contingency_recorded_by text,
                contingency_recorded_at timestamptz,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                UNIQUE (community_code, term)
            );
            CREATE INDEX cycles_street ON vetting.cycles (street_code, term);

            CREATE TABLE vetting.gates (
                cycle_id uuid NOT NULL REFERENCES vetting.cycles (id),
                gate text NOT NULL CHECK (gate IN ('inspection', 'audit', 'rectification', 'assessment')),
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_progress', 'passed', 'failed')),
                -- a failed gate starts again in a new round; sign-offs count within a round
                round integer NOT NULL DEFAULT 1,
                findings text,
                evidence text[] NOT NULL DEFAULT '{}',
                passed_at timestamptz,
                failed_at timestamptz,
                updated_by text,
                updated_at timestamptz,
                PRIMARY KEY (cycle_id, gate)
            );

            CREATE TABLE vetting.signoffs (
                cycle_id uuid NOT NULL,
                gate text NOT NULL,
                round integer NOT NULL,
                officer text NOT NULL,
                decision text NOT NULL CHECK (decision IN ('pass', 'fail')),
                findings text NOT NULL,
                evidence text[] NOT NULL DEFAULT '{}',
                signed_at timestamptz NOT NULL,
                PRIMARY KEY (cycle_id, gate, round, officer),
                FOREIGN KEY (cycle_id, gate) REFERENCES vetting.gates (cycle_id, gate)
            );

            -- The six campaigns (大摸排, 大考核, 大审计, 大整顿, 大储备, 大研判) as checklists per cycle.
            CREATE TABLE vetting.campaign_items (
                cycle_id uuid NOT NULL REFERENCES vetting.cycles (id),
                campaign text NOT NULL CHECK (campaign IN ('survey', 'evaluation', 'audit', 'rectification', 'reserve', 'assessment')),
                item text NOT NULL,
                done_by text,
                done_at timestamptz,
                note text,
                PRIMARY KEY (cycle_id, campaign, item)
            );

            GRANT USAGE ON SCHEMA vetting TO vettingd;
            GRANT SELECT, INSERT, UPDATE ON vetting.cycles, vetting.gates, vetting.campaign_items TO vettingd;
            GRANT SELECT, INSERT ON vetting.signoffs TO vettingd;
            """)
}

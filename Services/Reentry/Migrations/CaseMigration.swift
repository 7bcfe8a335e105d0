import Postgres

/// reentry v1: cases, the people they are about (sealed), assignments and levels over time, support plans.
enum CaseMigration {
    static let migration = Migration(
        schema: "reentry", version: 1, name: "cases",
        sql: """
            CREATE SCHEMA reentry;
            REVOKE ALL ON SCHEMA reentry FROM PUBLIC;

            CREATE TABLE reentry.cases (
                id uuid PRIMARY KEY,
                -- the pseudonymous case id used everywhere outside reentryd: events, patrold, logs
                case_ref text NOT NULL UNIQUE CHECK (case_ref ~ '^RC-[A-Z0-9]{10}$'),
                kind text NOT NULL CHECK (kind IN ('community_correction', 'post_release')),
                level text NOT NULL CHECK (level IN ('strict', 'standard', 'lenient')),
                starts_on date NOT NULL,
                ends_on date NOT NULL CHECK (ends_on >= starts_on),
                residence_grid text REFERENCES geo.grids (code),
                community_code text NOT NULL REFERENCES geo.communities (code),
                street_code text NOT NULL REFERENCES geo.streets (code),
                state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'purged')),
                -- the current pair and their supervisor (history in reentry.assignments)
                community_worker text NOT NULL,
                police_officer text NOT NULL CHECK (police_officer <> community_worker),
                supervisor text NOT NULL,
                reassess_by date NOT NULL,
                legal_hold boolean NOT NULL DEFAULT false,
                legal_hold_reason text,
                opened_by text NOT NULL,
                opened_at timestamptz NOT NULL,
                closed_at timestamptz,
                purged_at timestamptz
            );
            CREATE INDEX cases_community_worker ON reentry.cases (community_worker) WHERE state = 'open';
            CREATE INDEX cases_police_officer ON reentry.cases (police_officer) WHERE state = 'open';
            CREATE INDEX cases_supervisor ON reentry.cases (supervisor) WHERE state = 'open';
            CREATE INDEX cases_community ON reentry.cases (community_code, state);
            CREATE INDEX cases_retention ON reentry.cases (ends_on) WHERE state = 'closed';

            -- The person: every identity field in one sealed box bound to the case id; the national
            -- ID number also as a keyed HMAC for hit/no-hit lookups. Deleted at purge.
            CREATE TABLE reentry.persons (
                case_id uuid PRIMARY KEY REFERENCES reentry.cases (id) ON DELETE CASCADE,
                id_number_hmac bytea NOT NULL CHECK (length(id_number_hmac) = 32),
                sealed bytea NOT NULL,
                key_id text NOT NULL
            );
            CREATE INDEX persons_lookup ON reentry.persons (id_number_hmac);

            -- Who was assigned when: the responsibility review asks this of every moment.
            CREATE TABLE reentry.assignments (
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                from_at timestamptz NOT NULL,
                to_at timestamptz,
                community_worker text NOT NULL,
                police_officer text NOT NULL,
                supervisor text NOT NULL,
                reason text NOT NULL,
                assigned_by text NOT NULL,
                PRIMARY KEY (case_id, from_at)
            );

            -- Supervision levels by effective date: the opening level, then each reassessment.
            CREATE TABLE reentry.levels (
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                effective_on date NOT NULL,
                level text NOT NULL CHECK (level IN ('strict', 'standard', 'lenient')),
                reason text NOT NULL,
                decided_by text NOT NULL,
                decided_at timestamptz NOT NULL,
                PRIMARY KEY (case_id, effective_on)
            );

            -- The support plan (employment, housing, education, family); details sealed.
            CREATE TABLE reentry.support_items (
                id uuid PRIMARY KEY,
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                area text NOT NULL CHECK (area IN ('employment', 'housing', 'education', 'family')),
                status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
                due_on date,
                sealed bytea NOT NULL,
                updated_by text NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX support_items_case ON reentry.support_items (case_id);

            GRANT USAGE ON SCHEMA reentry TO reentryd;
            GRANT SELECT, INSERT, UPDATE ON reentry.cases, reentry.assignments, reentry.levels, reentry.support_items TO reentryd;
            GRANT SELECT, INSERT, DELETE ON reentry.persons TO reentryd;
            GRANT DELETE ON reentry.assignments, reentry.levels, reentry.support_items TO reentryd;
            """)
}

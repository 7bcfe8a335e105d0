import Postgres

/// vetting v2: candidates (sealed), their screening checks, review and notice, the reserve pool.
enum CandidateMigration {
    static let migration = Migration(
        schema: "vetting", version: 2, name: "candidates, screening, reserve",
        sql: """
            CREATE TABLE vetting.candidates (
                id uuid PRIMARY KEY,
                cycle_id uuid NOT NULL REFERENCES vetting.cycles (id),
                seat text NOT NULL CHECK (seat IN ('secretary', 'director', 'deputy', 'member')),
                id_number_hmac bytea NOT NULL CHECK (length(id_number_hmac) = 32),
                sealed bytea NOT NULL,
                key_id text NOT NULL,
                -- screening → clear | consider → notified (adverse review) → rejected | cleared
                state text NOT NULL DEFAULT 'screening'
                    CHECK (state IN ('screening', 'clear', 'consider', 'notified', 'rejected', 'cleared')),
                nominated_by text NOT NULL,
                nominated_at timestamptz NOT NULL,
                screened_at timestamptz,
                reviewed_by text,
                reviewed_at timestamptz,
                review_reasons text[] NOT NULL DEFAULT '{}',
                notice_sent_at timestamptz,
                response_due_at timestamptz,
                sealed_response bytea,
                responded_at timestamptz,
                decided_by text,
                decided_at timestamptz,
                decision_reason text,
                UNIQUE (cycle_id, id_number_hmac)
            );
            CREATE INDEX candidates_cycle ON vetting.candidates (cycle_id, nominated_at);

            -- One record per check of the screening package.
            CREATE TABLE vetting.checks (
                candidate_id uuid NOT NULL REFERENCES vetting.candidates (id),
                kind text NOT NULL CHECK (kind IN ('reentry_registry', 'clue_ledger', 'discipline_record', 'qualifications')),
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
                -- remote checks answer hit | no_hit, manual ones pass | fail
                result text CHECK (result IN ('hit', 'no_hit', 'pass', 'fail')),
                sealed_note bytea,
                checked_by text,
                checked_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                last_error text,
                PRIMARY KEY (candidate_id, kind)
            );
            CREATE INDEX checks_due ON vetting.checks (next_attempt_at) WHERE state = 'pending' AND kind IN ('reentry_registry', 'clue_ledger');

            -- 储备: screened candidates held for vacancies, in order.
            CREATE TABLE vetting.reserve (
                candidate_id uuid PRIMARY KEY REFERENCES vetting.candidates (id),
                cycle_id uuid NOT NULL REFERENCES vetting.cycles (id),
                rank integer NOT NULL,
                added_by text NOT NULL,
                added_at timestamptz NOT NULL,
                promoted_to text,
                promoted_by text,
                promoted_at timestamptz,
                UNIQUE (cycle_id, rank)
            );

            GRANT SELECT, INSERT, UPDATE ON vetting.candidates, vetting.checks, vetting.reserve TO vettingd;
            """)
}

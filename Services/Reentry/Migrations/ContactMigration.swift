import Postgres

/// reentry v2: contact standards as versioned data, the contacts log, deferrals.
enum ContactMigration {
    static let migration = Migration(
        schema: "reentry", version: 2, name: "contact standards and contacts",
        sql: """
            -- One row per version of a rule: by kind, level and contact type, from a date on.
            CREATE TABLE reentry.contact_standards (
                id serial PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('community_correction', 'post_release')),
                level text NOT NULL CHECK (level IN ('strict', 'standard', 'lenient')),
                contact_type text NOT NULL CHECK (contact_type IN ('face_to_face', 'home_visit', 'phone')),
                -- N contacts per period (both or neither)
                required_count integer CHECK (required_count BETWEEN 1 AND 31),
                period_length integer CHECK (period_length BETWEEN 1 AND 366),
                period_unit text CHECK (period_unit IN ('days', 'working_days', 'months')),
                -- the first contact within this span of the case opening
                first_within integer CHECK (first_within BETWEEN 1 AND 366),
                first_unit text CHECK (first_unit IN ('days', 'working_days', 'months')),
                effective_from date NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (kind, level, contact_type, effective_from),
                CHECK ((required_count IS NULL) = (period_length IS NULL) AND (period_length IS NULL) = (period_unit IS NULL)),
                CHECK ((first_within IS NULL) = (first_unit IS NULL)),
                CHECK (required_count IS NOT NULL OR first_within IS NOT NULL)
            );

            -- The district's rules on the day GridMesh starts (illustrative, after published practice:
            -- strict = 2 face-to-face contacts a month and a home visit within days of opening).
            INSERT INTO reentry.contact_standards
                (kind, level, contact_type, required_count, period_length, period_unit, first_within, first_unit, effective_from, created_by)
            VALUES
                ('community_correction', 'strict',   'face_to_face', 2, 1,  'months',       NULL, NULL,   '2020-01-01', 'migration'),
                ('community_correction', 'strict',   'home_visit',   1, 1,  'months',       7,    'days', '2020-01-01', 'migration'),
                ('community_correction', 'strict',   'phone',        1, 5,  'working_days', NULL, NULL,   '2020-01-01', 'migration'),
                ('community_correction', 'standard', 'face_to_face', 1, 1,  'months',       NULL, NULL,   '2020-01-01', 'migration'),
                ('community_correction', 'standard', 'home_visit',   1, 2,  'months',       14,   'days', '2020-01-01', 'migration'),
                ('community_correction', 'standard', 'phone',        1, 10, 'working_days', NULL, NULL,   '2020-01-01', 'migration'),
                ('community_correction', 'lenient',  'face_to_face', 1, 2,  'months',       NULL, NULL,   '2020-01-01', 'migration'),
                ('community_correction', 'lenient',  'home_visit',   1, 3,  'months',       30,   'days', '2020-01-01', 'migration'),
                ('community_correction', 'lenient',  'phone',        1, 1,  'months',       NULL, NULL,   '2020-01-01', 'migration'),
                ('post_release',         'strict',   'face_to_face', 2, 30, 'days',         NULL, NULL,   '2020-01-01', 'migration'),
                ('post_release',         'strict',   'home_visit',   1, 1,  'months',       14,   'days', '2020-01-01', 'migration'),
                ('post_release',         'strict',   'phone',        1, 10, 'working_days', NULL, NULL,   '2020-01-01', 'migration'),
                ('post_release',         'standard', 'face_to_face', 1, 30, 'days',         NULL, NULL,   '2020-01-01', 'migration'),
                ('post_release',         'standard', 'home_visit',   1, 3,  'months',       30,   'days', '2020-01-01', 'migration'),
                ('post_release',         'lenient',  'face_to_face', 1, 90, 'days',         NULL, NULL,   '2020-01-01', 'migration'),
                ('post_release',         'lenient',  'home_visit',   NULL, NULL, NULL,      30,   'days', '2020-01-01', 'migration');

            -- What was done. Notes are sealed; what a contact counts as follows from method, place and outcome.
            CREATE TABLE reentry.contacts (
                id uuid PRIMARY KEY,
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                contact_type text NOT NULL CHECK (contact_type IN ('face_to_face', 'home_visit', 'phone')),
                method text NOT NULL CHECK (method IN ('in_person', 'video', 'phone', 'via_family')),
                location text NOT NULL CHECK (location IN ('residence', 'office', 'workplace', 'other', 'remote')),
                outcome text NOT NULL CHECK (outcome IN ('completed', 'not_home', 'refused', 'unreachable')),
                occurred_at timestamptz NOT NULL,
                sealed_notes bytea,
                recorded_by text NOT NULL,
                recorded_at timestamptz NOT NULL,
                -- set when the contact is a grid worker's visit reported through patrold
                visit_request_id uuid UNIQUE
            );
            CREATE INDEX contacts_case ON reentry.contacts (case_id, occurred_at);

            CREATE TABLE reentry.deferrals (
                id uuid PRIMARY KEY,
                case_id uuid NOT NULL REFERENCES reentry.cases (id) ON DELETE CASCADE,
                contact_type text CHECK (contact_type IN ('face_to_face', 'home_visit', 'phone')),
                from_on date NOT NULL,
                until_on date NOT NULL CHECK (until_on >= from_on),
                reason text NOT NULL,
                decided_by text NOT NULL,
                decided_at timestamptz NOT NULL
            );
            CREATE INDEX deferrals_case ON reentry.deferrals (case_id);

            GRANT SELECT, INSERT ON reentry.contact_standards TO reentryd;
            GRANT USAGE ON SEQUENCE reentry.contact_standards_id_seq TO reentryd;
            GRANT SELECT, INSERT, DELETE ON reentry.contacts, reentry.deferrals TO reentryd;
            """)
}

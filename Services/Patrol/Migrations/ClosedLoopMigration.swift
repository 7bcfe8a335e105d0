import Postgres

/// patrol v2: the service catalogue and the closed loop of findings.
enum ClosedLoopMigration {
    static let migration = Migration(
        schema: "patrol", version: 2, name: "catalogue and closed loop",
        sql: """
            CREATE TABLE patrol.categories (
                code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
                -- clues go to the confidential clue ledger, never to the findings
                kind text NOT NULL CHECK (kind IN ('finding', 'clue')),
                name_zh text NOT NULL,
                name_en text NOT NULL,
                description_zh text NOT NULL,
                description_en text NOT NULL,
                priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
                agency_kind text CHECK (agency_kind IN ('judicial_office', 'police_station', 'market_regulation', 'food_and_drug', 'city_management')),
                deadline_working_days integer CHECK (deadline_working_days BETWEEN 1 AND 60),
                -- Open311-style attribute definitions: [{code, datatype, required, description, values: [{key, name}]}]
                attributes jsonb NOT NULL DEFAULT '[]',
                active boolean NOT NULL DEFAULT true,
                CHECK (kind = 'clue' OR (agency_kind IS NOT NULL AND deadline_working_days IS NOT NULL))
            );

            INSERT INTO patrol.categories (code, kind, name_zh, name_en, description_zh, description_en, priority, agency_kind, deadline_working_days, attributes) VALUES
            ('environmental_sanitation', 'finding', '环境卫生', 'Environmental sanitation', '垃圾堆放、污水、卫生死角', 'Piled rubbish, sewage, neglected corners', 'normal', 'city_management', 3,
             '[{"code":"volume","datatype":"singlevaluelist","required":false,"description":"堆放规模 / amount","values":[{"key":"small","name":"少量 / small"},{"key":"large","name":"大量 / large"}]}]'),
            ('illegal_construction', 'finding', '违章搭建', 'Illegal construction', '未经许可的搭建、加层', 'Unpermitted structures and extra storeys', 'normal', 'city_management', 10, '[]'),
            ('street_vending', 'finding', '占道经营', 'Street vending', '占用道路、人行道经营', 'Trading on roads and pavements', 'normal', 'city_management', 2, '[]'),
            ('road_damage', 'finding', '道路破损', 'Road damage', '路面、井盖、护栏损坏', 'Damaged roads, manhole covers, railings', 'normal', 'city_management', 5, '[]'),
            ('fire_hazard', 'finding', '消防隐患', 'Fire hazard', '堵塞消防通道、违规用电用火', 'Blocked fire lanes, unsafe power or fire use', 'urgent', 'police_station', 1, '[]'),
            ('public_order', 'finding', '治安隐患', 'Public order risk', '可疑人员、治安防范缺陷', 'Suspicious activity, security gaps', 'high', 'police_station', 2, '[]'),
            ('food_safety', 'finding', '食品安全', 'Food safety', '无证餐饮、过期食品', 'Unlicensed food outlets, expired food', 'high', 'food_and_drug', 2, '[]'),
            ('unlicensed_business', 'finding', '无照经营', 'Unlicensed business', '无营业执照经营', 'Trading without a business licence', 'normal', 'market_regulation', 5, '[]'),
            ('neighbour_dispute', 'finding', '矛盾纠纷', 'Neighbour dispute', '邻里、物业、家庭矛盾', 'Disputes between neighbours, with property managers, in families', 'normal', 'judicial_office', 5, '[]'),
            ('other', 'finding', '其他', 'Other', '其他问题', 'Anything else', 'low', 'city_management', 5, '[]'),
            ('organised_crime', 'clue', '涉黑涉恶线索', 'Organised crime lead', '黑恶势力及其"保护伞"线索', 'Leads on organised crime and its protectors', 'urgent', NULL, NULL, '[]'),
            ('gambling_den', 'clue', '赌博窝点', 'Gambling den', '聚众赌博场所', 'A place of organised gambling', 'high', NULL, NULL, '[]'),
            ('predatory_lending', 'clue', '套路贷', 'Predatory lending', '"套路贷"等非法放贷', 'Predatory "routine loan" lending', 'high', NULL, NULL, '[]');

            ALTER TABLE patrol.findings
                ADD CONSTRAINT findings_category FOREIGN KEY (category) REFERENCES patrol.categories (code),
                ADD CONSTRAINT findings_state CHECK (state IN ('submitted', 'triaged', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed', 'rejected', 'merged', 'reopened')),
                ADD COLUMN priority text NOT NULL DEFAULT 'normal',
                ADD COLUMN address text CHECK (char_length(address) <= 200),
                -- a location a little outside the reporter's grid is kept and flagged
                ADD COLUMN location_flag text CHECK (location_flag IN ('outside_grid')),
                ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}',
                ADD COLUMN agency_code text REFERENCES geo.agencies (code),
                ADD COLUMN dispatched_at timestamptz,
                ADD COLUMN deadline_at timestamptz,
                ADD COLUMN escalated_at timestamptz,
                ADD COLUMN resolved_at timestamptz,
                ADD COLUMN closed_at timestamptz,
                ADD COLUMN merged_into uuid REFERENCES patrol.findings (id),
                ADD COLUMN rating integer CHECK (rating BETWEEN 1 AND 5),
                ADD COLUMN rating_comment text CHECK (char_length(rating_comment) <= 500),
                ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
            CREATE INDEX findings_agency ON patrol.findings (agency_code, updated_at DESC) WHERE agency_code IS NOT NULL;
            CREATE INDEX findings_overdue ON patrol.findings (deadline_at) WHERE state IN ('dispatched', 'in_progress') AND escalated_at IS NULL;
            CREATE INDEX findings_merge_candidates ON patrol.findings USING gist (geography(location)) WHERE state IN ('submitted', 'triaged', 'dispatched', 'in_progress');

            -- Every step of the loop: who, when, why.
            CREATE TABLE patrol.transitions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                finding_id uuid NOT NULL REFERENCES patrol.findings (id),
                action text NOT NULL,
                from_state text,
                to_state text NOT NULL,
                actor text NOT NULL,
                actor_role text NOT NULL,
                reason text CHECK (char_length(reason) <= 1000),
                detail jsonb NOT NULL DEFAULT '{}',
                at timestamptz NOT NULL DEFAULT now(),
                request_id text
            );
            CREATE INDEX transitions_finding ON patrol.transitions (finding_id, id);

            -- Who hears of a finding's changes: its reporter, and anyone who follows it.
            CREATE TABLE patrol.followers (
                finding_id uuid NOT NULL REFERENCES patrol.findings (id),
                subject text NOT NULL,
                since timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (finding_id, subject)
            );
            CREATE INDEX followers_subject ON patrol.followers (subject);

            -- Supervision (督办) marks against agencies, counted in assessment.
            CREATE TABLE patrol.assessment_marks (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                agency_code text NOT NULL REFERENCES geo.agencies (code),
                finding_id uuid NOT NULL REFERENCES patrol.findings (id),
                kind text NOT NULL CHECK (kind IN ('overdue')),
                at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (finding_id, kind, agency_code)
            );

            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA patrol TO patrold;
            """)
}

/// patrol v3: patrols, the walks findings are recorded on and verified during.
enum PatrolsMigration {
    static let migration = Migration(
        schema: "patrol", version: 3, name: "patrols",
        sql: """
            CREATE TABLE patrol.patrols (
                id uuid PRIMARY KEY,
                grid_code text NOT NULL REFERENCES geo.grids (code),
                worker text NOT NULL,
                started_at timestamptz NOT NULL,
                ended_at timestamptz,
                CHECK (ended_at IS NULL OR ended_at >= started_at)
            );
            CREATE UNIQUE INDEX patrols_one_open_per_worker ON patrol.patrols (worker) WHERE ended_at IS NULL;
            ALTER TABLE patrol.findings ADD COLUMN patrol_id uuid REFERENCES patrol.patrols (id);
            GRANT SELECT, INSERT, UPDATE ON patrol.patrols TO patrold;
            """)
}

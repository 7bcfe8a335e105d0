import Postgres

/// patrol v4: the confidential clue ledger (线索台账), apart from the findings so that no query
/// over findings — listings, Open311, exports — can ever return a clue.
enum ClueLedgerMigration {
    static let migration = Migration(
        schema: "patrol", version: 4, name: "clue ledger",
        sql: """
            CREATE TABLE patrol.clues (
                id uuid PRIMARY KEY,
                category text NOT NULL REFERENCES patrol.categories (code),
                channel text NOT NULL CHECK (channel IN ('patrol', 'phone', 'mailbox', 'email')),
                grid_code text REFERENCES geo.grids (code),
                street_code text REFERENCES geo.streets (code),
                summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 4000),
                location geometry(Point, 4326),
                address text CHECK (char_length(address) <= 200),
                -- who brought the clue: an account for a grid worker, or the source as staff recorded it
                reporter text NOT NULL CHECK (char_length(reporter) <= 200),
                reporter_contact text CHECK (char_length(reporter_contact) <= 200),
                observed_at timestamptz NOT NULL,
                received_at timestamptz NOT NULL,
                recorded_by text NOT NULL,
                state text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'verifying', 'transferred', 'closed')),
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX clues_received ON patrol.clues (received_at DESC, id);

            -- Transfers to and from the discipline commission (线索双向移送).
            CREATE TABLE patrol.clue_transfers (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                clue_id uuid NOT NULL REFERENCES patrol.clues (id),
                direction text NOT NULL CHECK (direction IN ('to_commission', 'from_commission')),
                note text CHECK (char_length(note) <= 1000),
                external_ref text CHECK (char_length(external_ref) <= 100),
                by_subject text NOT NULL,
                at timestamptz NOT NULL
            );
            CREATE INDEX clue_transfers_clue ON patrol.clue_transfers (clue_id, id);

            GRANT SELECT, INSERT, UPDATE ON patrol.clues, patrol.clue_transfers TO patrold;
            """)
}

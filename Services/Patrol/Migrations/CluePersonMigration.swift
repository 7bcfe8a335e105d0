import Postgres

/// patrol v9: persons a clue names, kept only as the keyed HMAC of their ID number — enough for
/// vettingd's hit/no-hit question, nothing that identifies anyone without the key.
enum CluePersonMigration {
    static let migration = Migration(
        schema: "patrol", version: 9, name: "persons named in clues",
        sql: """
            CREATE TABLE patrol.clue_persons (
                clue_id uuid NOT NULL REFERENCES patrol.clues (id),
                id_number_hmac bytea NOT NULL CHECK (length(id_number_hmac) = 32),
                role text NOT NULL CHECK (role IN ('suspect', 'associate', 'other')),
                recorded_by text NOT NULL,
                recorded_at timestamptz NOT NULL,
                PRIMARY KEY (clue_id, id_number_hmac)
            );
            CREATE INDEX clue_persons_lookup ON patrol.clue_persons (id_number_hmac);
            GRANT SELECT, INSERT ON patrol.clue_persons TO patrold;
            """)
}

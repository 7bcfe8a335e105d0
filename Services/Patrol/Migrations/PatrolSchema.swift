import Postgres

/// The `patrol` schema, owned by patrold.
public enum PatrolSchema {
    public static let migrations: [Migration] = [
        Migration(
            schema: "patrol", version: 1, name: "findings",
            sql: """
                CREATE SCHEMA patrol;

                CREATE TABLE patrol.findings (
                    -- made by the phone, so a retried offline submission is recognised
                    id uuid PRIMARY KEY,
                    grid_code text NOT NULL REFERENCES geo.grids (code),
                    category text NOT NULL,
                    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 2000),
                    location geometry(Point, 4326),
                    observed_at timestamptz NOT NULL,
                    submitted_at timestamptz NOT NULL DEFAULT now(),
                    reporter text NOT NULL,
                    state text NOT NULL DEFAULT 'submitted'
                );
                CREATE INDEX findings_grid_time ON patrol.findings (grid_code, submitted_at DESC, id);
                CREATE INDEX findings_location ON patrol.findings USING gist (location);

                GRANT USAGE ON SCHEMA patrol TO patrold;
                GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA patrol TO patrold;
                """),
        ClosedLoopMigration.migration,
        PatrolsMigration.migration,
        ClueLedgerMigration.migration,
        HotspotMigration.migration,
        VisitMigration.migration,
        PhotoMigration.migration,
        CallbackMigration.migration,
        CluePersonMigration.migration,
        CatalogueReadersMigration.migration,
        UnfollowMigration.migration,
        Open311KeyMigration.migration,
    ]

    public static var version: Int { migrations.last!.version }
}

import Postgres

/// patrol v5: hotspots — many findings of one category in one grid or community within a window.
enum HotspotMigration {
    static let migration = Migration(
        schema: "patrol", version: 5, name: "hotspots",
        sql: """
            CREATE TABLE patrol.hotspots (
                id uuid PRIMARY KEY,
                level text NOT NULL CHECK (level IN ('grid', 'community')),
                area_code text NOT NULL,
                street_code text NOT NULL REFERENCES geo.streets (code),
                category text NOT NULL REFERENCES patrol.categories (code),
                finding_count integer NOT NULL,
                window_start timestamptz NOT NULL,
                detected_at timestamptz NOT NULL
            );
            CREATE INDEX hotspots_area ON patrol.hotspots (level, area_code, category, detected_at DESC);
            CREATE INDEX hotspots_street ON patrol.hotspots (street_code, detected_at DESC);
            CREATE INDEX findings_category_time ON patrol.findings (category, grid_code, submitted_at);
            GRANT SELECT, INSERT ON patrol.hotspots TO patrold;
            """)
}

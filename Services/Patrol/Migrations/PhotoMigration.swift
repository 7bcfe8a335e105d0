import Postgres

/// patrol v7: photos of findings, stored content-addressed under the data directory.
enum PhotoMigration {
    static let migration = Migration(
        schema: "patrol", version: 7, name: "photos",
        sql: """
            CREATE TABLE patrol.photos (
                finding_id uuid NOT NULL REFERENCES patrol.findings (id),
                sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
                byte_size integer NOT NULL CHECK (byte_size > 0),
                uploaded_by text NOT NULL,
                uploaded_at timestamptz NOT NULL,
                PRIMARY KEY (finding_id, sha256)
            );
            GRANT SELECT, INSERT ON patrol.photos TO patrold;
            """)
}

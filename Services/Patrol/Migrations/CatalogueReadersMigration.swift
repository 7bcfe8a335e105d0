import Postgres

/// patrol v10: the category catalogue is reference data (names, no findings): meetingd reads it to
/// write agenda titles in words ("环境卫生"), as it reads `geo` for the names of places.
enum CatalogueReadersMigration {
    static let migration = Migration(
        schema: "patrol", version: 10, name: "catalogue readers",
        sql: """
            GRANT USAGE ON SCHEMA patrol TO meetingd;
            GRANT SELECT ON patrol.categories TO meetingd;
            """)
}

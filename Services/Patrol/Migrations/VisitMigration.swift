import Postgres

/// patrol v6: visit requests from reentryd — a case id and a grid, nothing that names the person.
enum VisitMigration {
    static let migration = Migration(
        schema: "patrol", version: 6, name: "visit requests",
        sql: """
            CREATE TABLE patrol.visit_requests (
                id uuid PRIMARY KEY,
                -- reentryd's pseudonymous case id; never a name
                case_id text NOT NULL CHECK (case_id ~ '^[A-Za-z0-9_-]{4,64}$'),
                grid_code text NOT NULL REFERENCES geo.grids (code),
                due_by timestamptz,
                requested_by text NOT NULL,
                requested_at timestamptz NOT NULL,
                state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'reported')),
                visited_at timestamptz,
                outcome text CHECK (outcome IN ('met', 'not_home', 'refused', 'moved_away')),
                reported_by text,
                reported_at timestamptz
            );
            CREATE INDEX visit_requests_open ON patrol.visit_requests (grid_code, requested_at) WHERE state = 'open';
            GRANT SELECT, INSERT, UPDATE ON patrol.visit_requests TO patrold;
            """)
}

import EventBus
import Postgres

/// The `geo` schema: the district's streets, communities, grids and agencies, and the account
/// directory. Reference data that every daemon reads and only `gridctl` writes.
public enum GeographySchema {
    public static let migrations: [Migration] = [
        Migration(
            schema: "geo", version: 1, name: "streets, communities, grids, agencies, accounts",
            sql: """
                CREATE EXTENSION IF NOT EXISTS postgis;
                CREATE SCHEMA geo;

                CREATE TABLE geo.streets (
                    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]+$'),
                    name_zh text NOT NULL,
                    name_en text NOT NULL,
                    boundary geometry(MultiPolygon, 4326) NOT NULL
                );
                CREATE TABLE geo.communities (
                    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]+$'),
                    street_code text NOT NULL REFERENCES geo.streets (code),
                    kind text NOT NULL CHECK (kind IN ('community', 'village')),
                    name_zh text NOT NULL,
                    name_en text NOT NULL,
                    boundary geometry(MultiPolygon, 4326) NOT NULL
                );
                CREATE INDEX communities_street ON geo.communities (street_code);
                CREATE TABLE geo.grids (
                    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]+$'),
                    community_code text NOT NULL REFERENCES geo.communities (code),
                    name_zh text NOT NULL,
                    boundary geometry(Polygon, 4326) NOT NULL
                );
                CREATE INDEX grids_community ON geo.grids (community_code);
                CREATE INDEX streets_boundary ON geo.streets USING gist (boundary);
                CREATE INDEX communities_boundary ON geo.communities USING gist (boundary);
                CREATE INDEX grids_boundary ON geo.grids USING gist (boundary);

                -- The five agencies of every street.
                CREATE TABLE geo.agencies (
                    code text PRIMARY KEY,
                    street_code text NOT NULL REFERENCES geo.streets (code),
                    kind text NOT NULL CHECK (kind IN ('judicial_office', 'police_station', 'market_regulation', 'food_and_drug', 'city_management')),
                    name_zh text NOT NULL,
                    name_en text NOT NULL,
                    UNIQUE (street_code, kind)
                );

                -- Who may be issued a token: staff and service accounts, with their role and scope.
                CREATE TABLE geo.accounts (
                    subject text PRIMARY KEY CHECK (subject ~ '^[a-z0-9._-]+$'),
                    display_name text NOT NULL,
                    role text NOT NULL,
                    scope text NOT NULL,
                    agency_code text REFERENCES geo.agencies (code)
                );

                GRANT USAGE ON SCHEMA geo TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
                GRANT SELECT ON ALL TABLES IN SCHEMA geo TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
                """),
        CalendarSchema.migration,
        CalendarSchema.yearsMigration,
    ]

    /// A SQL predicate true when the grid named by `gridColumn` lies within the scope given by the
    /// parameters `$levelParameter` (grid | community | street | district) and `$codeParameter`.
    /// Scope is enforced in the query this is part of, never by filtering afterwards.
    public static func scopePredicate(gridColumn: String, levelParameter: Int, codeParameter: Int) -> String {
        """
        ($\(levelParameter) = 'district' OR EXISTS (
            SELECT 1 FROM geo.grids scope_g JOIN geo.communities scope_c ON scope_c.code = scope_g.community_code
            WHERE scope_g.code = \(gridColumn)
              AND (($\(levelParameter) = 'grid' AND scope_g.code = $\(codeParameter))
                OR ($\(levelParameter) = 'community' AND scope_c.code = $\(codeParameter))
                OR ($\(levelParameter) = 'street' AND scope_c.street_code = $\(codeParameter)))))
        """
    }
}

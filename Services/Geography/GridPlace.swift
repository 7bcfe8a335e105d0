import Postgres

/// Where a grid sits: its community and street.
public struct GridPlace: Sendable, Codable, Equatable {
    public let gridCode: String
    public let communityCode: String
    public let streetCode: String

    public init(gridCode: String, communityCode: String, streetCode: String) {
        self.gridCode = gridCode
        self.communityCode = communityCode
        self.streetCode = streetCode
    }

    public static func lookup(grid: String, on connection: PostgresConnection) throws -> GridPlace? {
        try connection.query(
            """
            SELECT g.code, c.code, c.street_code FROM geo.grids g JOIN geo.communities c ON c.code = g.community_code
            WHERE g.code = $1
            """, [grid]
        ).first.map { GridPlace(gridCode: try $0.decode(at: 0), communityCode: try $0.decode(at: 1), streetCode: try $0.decode(at: 2)) }
    }
}

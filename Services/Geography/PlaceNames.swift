import Postgres

/// The Chinese names of the district's places and agencies, by code: what printable pages and
/// exports write instead of codes.
public enum PlaceNames {
    public enum Kind: String, Sendable, CaseIterable {
        case grid, community, street, agency

        var table: String {
            switch self {
            case .grid: "geo.grids"
            case .community: "geo.communities"
            case .street: "geo.streets"
            case .agency: "geo.agencies"
            }
        }
    }

    /// code → name of every place of one kind.
    public static func of(_ kind: Kind, on connection: PostgresConnection) throws -> [String: String] {
        try codeNames("SELECT code, name_zh FROM \(kind.table)", on: connection)
    }

    /// code → name from a query of two text columns (e.g. a daemon's own catalogue).
    public static func codeNames(_ sql: String, on connection: PostgresConnection) throws -> [String: String] {
        Dictionary(try connection.query(sql).map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) }, uniquingKeysWith: { a, _ in a })
    }
}

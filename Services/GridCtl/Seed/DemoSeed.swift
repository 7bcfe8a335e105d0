import Foundation
import Geography
import GridCore
import Postgres

/// `gridctl seed demo`: the reference geography of Wuchang (14 streets, 140 communities and
/// 1 village, six grids each), the five agencies of every street and the demo accounts.
/// Idempotent: running it again changes nothing.
public enum DemoSeed {
    /// The district's bounding box the demo lays its streets out in (WGS84).
    static let west = 114.28, south = 30.50, width = 0.12, height = 0.12
    static let gridsPerCommunity = 6

    /// Everything the seed writes, as text: a test template named after it (and the migrations)
    /// is made anew when the seed changes.
    public static var fingerprint: String {
        "\(west) \(south) \(width) \(height) \(gridsPerCommunity)\n\(WuchangGeography.streets)\n\(DemoAccounts.all)\n\(DemoCalendar.text)"
    }

    public struct Report: Sendable {
        public let streets: Int
        public let communities: Int
        public let grids: Int
        public let accounts: Int
    }

    public static func run(on connection: PostgresConnection) throws -> Report {
        try connection.transaction { connection in
            let streets = WuchangGeography.streets
            for (streetIndex, street) in streets.enumerated() {
                let streetBox = Box.cell(of: Box(west: west, south: south, east: west + width, north: south + height), index: streetIndex, columns: 7, rows: 2)
                try connection.execute(
                    """
                    INSERT INTO geo.streets (code, name_zh, name_en, boundary) VALUES ($1, $2, $3, ST_Multi(ST_MakeEnvelope($4, $5, $6, $7, 4326)))
                    ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, boundary = EXCLUDED.boundary
                    """, [street.code, street.name, street.nameEn, streetBox.west, streetBox.south, streetBox.east, streetBox.north])
                for kind in AgencyKind.allCases {
                    try connection.execute(
                        """
                        INSERT INTO geo.agencies (code, street_code, kind, name_zh, name_en) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (code) DO NOTHING
                        """,
                        [
                            agencyCode(street: street.code, kind), street.code, kind.rawValue,
                            street.name.replacingOccurrences(of: "街道", with: "") + kind.nameZh, "\(street.nameEn) \(kind.nameEn.lowercased())",
                        ])
                }
                let rows = (street.communities.count + 1) / 2
                for (communityIndex, community) in street.communities.enumerated() {
                    let box = Box.cell(of: streetBox, index: communityIndex, columns: 2, rows: rows)
                    try connection.execute(
                        """
                        INSERT INTO geo.communities (code, street_code, kind, name_zh, name_en, boundary)
                        VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_MakeEnvelope($6, $7, $8, $9, 4326)))
                        ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, boundary = EXCLUDED.boundary
                        """,
                        [
                            community.code, street.code, community.isVillage ? "village" : "community", community.name, community.nameEn,
                            box.west, box.south, box.east, box.north,
                        ])
                    let shortName = community.name.replacingOccurrences(of: "社区", with: "").replacingOccurrences(of: "村", with: "")
                    for gridIndex in 0..<gridsPerCommunity {
                        let cell = Box.cell(of: box, index: gridIndex, columns: 3, rows: 2)
                        let number = String(format: "%02d", gridIndex + 1)
                        try connection.execute(
                            """
                            INSERT INTO geo.grids (code, community_code, name_zh, boundary) VALUES ($1, $2, $3, ST_MakeEnvelope($4, $5, $6, $7, 4326))
                            ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, boundary = EXCLUDED.boundary
                            """,
                            ["\(community.code)-\(number)", community.code, "\(shortName)-\(number)", cell.west, cell.south, cell.east, cell.north])
                    }
                }
            }
            _ = try CalendarSchema.importYear(
                DemoCalendar.arrangement, sourceSHA256: HolidayArrangement.sourceDigest(DemoCalendar.text), by: "demo seed", at: Date(),
                on: connection)
            for account in DemoAccounts.all {
                try connection.execute(
                    """
                    INSERT INTO geo.accounts (subject, display_name, role, scope, agency_code) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (subject) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
                        scope = EXCLUDED.scope, agency_code = EXCLUDED.agency_code
                    """, [account.subject, account.displayName, account.role.rawValue, account.scope.description, account.agency])
            }
            let counts = try connection.query(
                "SELECT (SELECT count(*) FROM geo.streets), (SELECT count(*) FROM geo.communities), (SELECT count(*) FROM geo.grids), (SELECT count(*) FROM geo.accounts)"
            ).first!
            return Report(
                streets: try counts.decode(at: 0), communities: try counts.decode(at: 1), grids: try counts.decode(at: 2), accounts: try counts.decode(at: 3))
        }
    }

    public static func agencyCode(street: String, _ kind: AgencyKind) -> String { "\(street)/\(kind.rawValue)" }

    /// An axis-aligned box in degrees.
    struct Box {
        let west, south, east, north: Double

        /// Cell `index` of a `columns` × `rows` tiling, filled row by row from the north-west.
        static func cell(of box: Box, index: Int, columns: Int, rows: Int) -> Box {
            let w = (box.east - box.west) / Double(columns)
            let h = (box.north - box.south) / Double(rows)
            let column = index % columns
            let row = index / columns
            let north = box.north - Double(row) * h
            return Box(west: box.west + Double(column) * w, south: north - h, east: box.west + Double(column + 1) * w, north: north)
        }
    }
}

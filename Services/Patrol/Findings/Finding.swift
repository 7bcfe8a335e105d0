import Foundation
import Postgres

/// A problem a grid worker found on patrol.
public struct Finding: Sendable, Codable, Equatable {
    public let id: UUID
    public let gridCode: String
    public let communityCode: String
    public let streetCode: String
    public let category: String
    public let description: String
    public let latitude: Double?
    public let longitude: Double?
    public let observedAt: Date
    public let submittedAt: Date
    public let reporter: String
    public let state: String

    /// The columns `init(row:)` reads, for `f` = patrol.findings, `g` = geo.grids, `c` = geo.communities.
    static let columns = """
        f.id, f.grid_code, g.community_code, c.street_code, f.category, f.description,
        ST_Y(f.location), ST_X(f.location), f.observed_at, f.submitted_at, f.reporter, f.state
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        gridCode = try row.decode(at: 1)
        communityCode = try row.decode(at: 2)
        streetCode = try row.decode(at: 3)
        category = try row.decode(at: 4)
        description = try row.decode(at: 5)
        latitude = try row.decode(Double?.self, at: 6)
        longitude = try row.decode(Double?.self, at: 7)
        observedAt = try row.decode(at: 8)
        submittedAt = try row.decode(at: 9)
        reporter = try row.decode(at: 10)
        state = try row.decode(at: 11)
    }
}

/// What a phone sends to report a finding.
public struct FindingSubmission: Sendable, Codable {
    public var id: UUID
    public var category: String
    public var description: String
    public var latitude: Double?
    public var longitude: Double?
    public var observedAt: Date

    public init(id: UUID, category: String, description: String, latitude: Double? = nil, longitude: Double? = nil, observedAt: Date) {
        self.id = id
        self.category = category
        self.description = description
        self.latitude = latitude
        self.longitude = longitude
        self.observedAt = observedAt
    }
}

/// The payload of `finding.submitted`: ids and places only, never the reporter or the text.
public struct FindingSubmitted: Sendable, Codable, Equatable {
    public let findingId: UUID
    public let gridCode: String
    public let communityCode: String
    public let streetCode: String
    public let category: String
    public let observedAt: Date
}

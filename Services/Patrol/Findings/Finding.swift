import Foundation
import Postgres

/// A problem a grid worker found on patrol, where it stands in the closed loop.
public struct Finding: Sendable, Codable, Equatable {
    public let id: UUID
    public let gridCode: String
    public let communityCode: String
    public let streetCode: String
    public let category: String
    public let priority: String
    public let description: String
    public let latitude: Double?
    public let longitude: Double?
    public let address: String?
    public let locationFlag: String?
    public let attributes: [String: String]
    public let observedAt: Date
    public let submittedAt: Date
    public let reporter: String
    public let patrolId: UUID?
    public let state: FindingState
    public let agencyCode: String?
    public let dispatchedAt: Date?
    public let deadlineAt: Date?
    public let escalatedAt: Date?
    public let resolvedAt: Date?
    public let closedAt: Date?
    public let mergedInto: UUID?
    public let rating: Int?
    public let updatedAt: Date

    /// Past its deadline while still with the agency.
    public let overdue: Bool

    /// The columns `init(row:)` reads, for `f` = patrol.findings, `g` = geo.grids, `c` = geo.communities.
    static let columns = """
        f.id, f.grid_code, g.community_code, c.street_code, f.category, f.priority, f.description,
        ST_Y(f.location), ST_X(f.location), f.address, f.location_flag, f.attributes, f.observed_at, f.submitted_at,
        f.reporter, f.patrol_id, f.state, f.agency_code, f.dispatched_at, f.deadline_at, f.escalated_at, f.resolved_at,
        f.closed_at, f.merged_into, f.rating, f.updated_at
        """

    /// The joins `columns` needs.
    static let from = "patrol.findings f JOIN geo.grids g ON g.code = f.grid_code JOIN geo.communities c ON c.code = g.community_code"

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        gridCode = try row.decode(at: 1)
        communityCode = try row.decode(at: 2)
        streetCode = try row.decode(at: 3)
        category = try row.decode(at: 4)
        priority = try row.decode(at: 5)
        description = try row.decode(at: 6)
        latitude = try row.decode(Double?.self, at: 7)
        longitude = try row.decode(Double?.self, at: 8)
        address = try row.decode(String?.self, at: 9)
        locationFlag = try row.decode(String?.self, at: 10)
        attributes = try row.decode(JSONB.self, at: 11).decode(as: [String: String].self)
        observedAt = try row.decode(at: 12)
        submittedAt = try row.decode(at: 13)
        reporter = try row.decode(at: 14)
        patrolId = try row.decode(UUID?.self, at: 15)
        state = FindingState(rawValue: try row.decode(at: 16)) ?? .submitted
        agencyCode = try row.decode(String?.self, at: 17)
        dispatchedAt = try row.decode(Date?.self, at: 18)
        deadlineAt = try row.decode(Date?.self, at: 19)
        escalatedAt = try row.decode(Date?.self, at: 20)
        resolvedAt = try row.decode(Date?.self, at: 21)
        closedAt = try row.decode(Date?.self, at: 22)
        mergedInto = try row.decode(UUID?.self, at: 23)
        rating = try row.decode(Int?.self, at: 24)
        updatedAt = try row.decode(at: 25)
        overdue = escalatedAt != nil && state.isWithAgency
    }
}

/// What a phone sends to report a finding.
public struct FindingSubmission: Sendable, Codable {
    public var id: UUID
    public var category: String
    public var description: String
    public var latitude: Double?
    public var longitude: Double?
    /// The system the phone's coordinates are in; stored as WGS84.
    public var coordSystem: String?
    public var address: String?
    public var attributes: [String: String]?
    public var observedAt: Date
    public var patrolId: UUID?
}

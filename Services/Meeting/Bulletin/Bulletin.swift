import Foundation
import GridCore

/// The weekly bulletin: what is overdue and who owns it, how punctual each agency was, the week's
/// new hotspots.
public struct Bulletin: Sendable, Codable {
    public struct OverdueItem: Sendable, Codable {
        public let id: UUID
        public let streetCode: String
        public let title: String
        public let ownerAgency: String
        public let ownerAgencyName: String
        public let deadline: String
    }

    public struct OverdueOrder: Sendable, Codable {
        public let id: UUID
        public let streetCode: String
        public let targetKind: String
        public let targetCode: String
        public let targetName: String
        public let notice: String
        public let deadline: String
    }

    public struct AgencyRate: Sendable, Codable {
        public let agencyCode: String
        public let agencyName: String
        public let due: Int
        public let onTime: Int
        public let onTimeRate: Double?
    }

    public struct NewHotspot: Sendable, Codable {
        public let streetCode: String
        public let title: String
        public let raisedAt: Date
    }

    public let id: UUID
    public let scope: String
    public let weekStart: String
    public let weekEnd: String
    public let generatedAt: Date
    public let meetingsHeld: Int
    public let overdueActionItems: [OverdueItem]
    public let overdueRectifications: [OverdueOrder]
    public let onTime: [AgencyRate]
    public let newHotspots: [NewHotspot]
}

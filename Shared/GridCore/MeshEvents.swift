import Foundation

/// The payloads of events that one daemon publishes and another consumes: one definition for both
/// sides, so the contract cannot drift. Ids, codes, places and times only — never personal data.
public enum MeshEvents {
    /// `finding.submitted`
    public struct FindingSubmitted: Sendable, Codable, Equatable {
        public let findingId: UUID
        public let gridCode: String
        public let communityCode: String
        public let streetCode: String
        public let category: String
        public let observedAt: Date

        public init(findingId: UUID, gridCode: String, communityCode: String, streetCode: String, category: String, observedAt: Date) {
            self.findingId = findingId
            self.gridCode = gridCode
            self.communityCode = communityCode
            self.streetCode = streetCode
            self.category = category
            self.observedAt = observedAt
        }
    }

    /// `finding.dispatched` and `finding.overdue`: a finding, its agency and its deadline.
    public struct FindingDeadline: Sendable, Codable, Equatable {
        public let findingId: UUID
        public let agencyCode: String
        public let streetCode: String
        public let gridCode: String
        public let category: String
        public let deadlineAt: Date

        public init(findingId: UUID, agencyCode: String, streetCode: String, gridCode: String, category: String, deadlineAt: Date) {
            self.findingId = findingId
            self.agencyCode = agencyCode
            self.streetCode = streetCode
            self.gridCode = gridCode
            self.category = category
            self.deadlineAt = deadlineAt
        }
    }

    /// `finding.resolved` and `finding.closed`.
    public struct FindingStateChanged: Sendable, Codable, Equatable {
        public let findingId: UUID
        public let agencyCode: String?
        public let streetCode: String
        public let gridCode: String
        public let category: String
        public let state: String

        public init(findingId: UUID, agencyCode: String?, streetCode: String, gridCode: String, category: String, state: String) {
            self.findingId = findingId
            self.agencyCode = agencyCode
            self.streetCode = streetCode
            self.gridCode = gridCode
            self.category = category
            self.state = state
        }
    }

    /// `hotspot.detected` (also what patrold's `GET /v1/hotspots` lists).
    public struct Hotspot: Sendable, Codable, Equatable {
        public let hotspotId: UUID
        public let level: String
        public let areaCode: String
        public let streetCode: String
        public let category: String
        public let findingCount: Int
        public let windowStart: Date
        public let detectedAt: Date

        public init(
            hotspotId: UUID, level: String, areaCode: String, streetCode: String, category: String, findingCount: Int, windowStart: Date, detectedAt: Date
        ) {
            self.hotspotId = hotspotId
            self.level = level
            self.areaCode = areaCode
            self.streetCode = streetCode
            self.category = category
            self.findingCount = findingCount
            self.windowStart = windowStart
            self.detectedAt = detectedAt
        }
    }

    /// `reentry.alerts_counted`: how many supervision contacts are overdue in a community now.
    public struct ReentryAlertsCounted: Sendable, Codable, Equatable {
        public let streetCode: String
        public let communityCode: String
        public let overdueContacts: Int

        public init(streetCode: String, communityCode: String, overdueContacts: Int) {
            self.streetCode = streetCode
            self.communityCode = communityCode
            self.overdueContacts = overdueContacts
        }
    }

    /// `visit.reported`: a grid worker's report of a home visit reentryd asked for — the case ref,
    /// the grid and an outcome code.
    public struct VisitReported: Sendable, Codable, Equatable {
        public let visitRequestId: UUID
        public let caseId: String
        public let gridCode: String
        public let visitedAt: Date
        public let outcome: String
        public let reportedBy: String

        public init(visitRequestId: UUID, caseId: String, gridCode: String, visitedAt: Date, outcome: String, reportedBy: String) {
            self.visitRequestId = visitRequestId
            self.caseId = caseId
            self.gridCode = gridCode
            self.visitedAt = visitedAt
            self.outcome = outcome
            self.reportedBy = reportedBy
        }
    }
}

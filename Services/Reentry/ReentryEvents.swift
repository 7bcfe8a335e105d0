import Foundation

/// reentryd's own event payloads. The case is named by its pseudonymous ref (`case_id`), never by
/// anything that identifies the person. (`visit.reported` and `reentry.alerts_counted`, which cross
/// daemons, are in `MeshEvents`.)
public enum ReentryEvents {
    /// `case.opened`
    public struct CaseOpened: Sendable, Codable, Equatable {
        public let caseId: String
        public let kind: String
        public let level: String
        public let communityCode: String
        public let streetCode: String
    }

    /// `contact.overdue` and `contact.escalated`
    public struct ContactOverdue: Sendable, Codable, Equatable {
        public let caseId: String
        public let contactType: String
        public let dueOn: String
        public let communityCode: String
        public let streetCode: String
    }

    /// `visit.requested`: what patrold was asked.
    public struct VisitRequested: Sendable, Codable, Equatable {
        public let caseId: String
        public let visitRequestId: UUID
        public let gridCode: String
    }

    /// `case.closed` and `case.purged`
    public struct CaseEnded: Sendable, Codable, Equatable {
        public let caseId: String
        public let communityCode: String
        public let state: String
    }
}

import Foundation

/// vettingd's events: ids, codes and outcomes, never a candidate's identity.
public enum VettingEvents {
    /// `gate.passed` and `gate.failed`
    public struct GateDecided: Sendable, Codable, Equatable {
        public let cycleId: UUID
        public let communityCode: String
        public let streetCode: String
        public let gate: String
        public let round: Int
    }

    /// `cycle.ready` and `cycle.blocked`
    public struct CycleReadiness: Sendable, Codable, Equatable {
        public let cycleId: UUID
        public let communityCode: String
        public let streetCode: String
        public let term: String
        public let reasons: [String]
    }

    /// `candidate.screened`
    public struct CandidateScreened: Sendable, Codable, Equatable {
        public let candidateId: UUID
        public let cycleId: UUID
        public let communityCode: String
        public let outcome: String
    }
}

import Foundation
import GridCore
import Postgres

/// A candidate as lists show them: a seat, a state, an outcome — no identity.
public struct Candidate: Sendable, Codable, Equatable {
    public let id: UUID
    public let cycleId: UUID
    public let seat: String
    public let state: String
    public let nominatedBy: String
    public let nominatedAt: Date
    public let screenedAt: Date?
    public let reviewedBy: String?
    public let reviewReasons: [String]
    public let responseDueAt: Date?
    public let respondedAt: Date?
    public let decidedBy: String?
    public let decisionReason: String?

    static let columns = """
        k.id, k.cycle_id, k.seat, k.state, k.nominated_by, k.nominated_at, k.screened_at, k.reviewed_by, k.review_reasons, k.response_due_at,
        k.responded_at, k.decided_by, k.decision_reason
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        cycleId = try row.decode(at: 1)
        seat = try row.decode(at: 2)
        state = try row.decode(at: 3)
        nominatedBy = try row.decode(at: 4)
        nominatedAt = try row.decode(at: 5)
        screenedAt = try row.decode(Date?.self, at: 6)
        reviewedBy = try row.decode(String?.self, at: 7)
        reviewReasons = try row.decode(at: 8)
        responseDueAt = try row.decode(Date?.self, at: 9)
        respondedAt = try row.decode(Date?.self, at: 10)
        decidedBy = try row.decode(String?.self, at: 11)
        decisionReason = try row.decode(String?.self, at: 12)
    }
}

/// A candidate's identity, sealed at rest.
public struct CandidatePerson: Sendable, Codable, Equatable {
    public var name: String
    public var nationalId: String
    public var gender: String?
    public var dateOfBirth: CalendarDate?
    public var education: String?
    public var partyMember: Bool?
    public var phone: String?
}

/// One check of the screening package.
public struct ScreeningCheck: Sendable, Codable, Equatable {
    public static let remote = ["reentry_registry", "clue_ledger"]
    public static let manual = ["discipline_record", "qualifications"]
    /// The coded reasons a reviewer may give for an adverse finding.
    public static let reasonCodes = ["registry_hit", "clue_hit", "discipline_record", "qualifications", "conduct", "other"]

    let kind: String
    let state: String
    let result: String?
    let note: String?
    let checkedBy: String?
    let checkedAt: Date?
    let lastError: String?
}

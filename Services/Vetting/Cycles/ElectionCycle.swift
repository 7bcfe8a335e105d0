import Daemon
import Foundation
import GridCore
import Postgres

/// A community's committee election cycle (两委换届).
public struct ElectionCycle: Sendable, Codable, Equatable {
    public let id: UUID
    public let communityCode: String
    public let streetCode: String
    public let term: String
    public let plannedElectionOn: CalendarDate
    public let confirmedElectionOn: CalendarDate?
    public let state: String
    public let contingencyPlan: String?
    public let contingencyRecordedBy: String?
    public let createdAt: Date
    public let updatedAt: Date

    static let columns = """
        c.id, c.community_code, c.street_code, c.term, c.planned_election_on, c.confirmed_election_on, c.state, c.contingency_plan,
        c.contingency_recorded_by, c.created_at, c.updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        communityCode = try row.decode(at: 1)
        streetCode = try row.decode(at: 2)
        term = try row.decode(at: 3)
        plannedElectionOn = try row.decode(at: 4)
        confirmedElectionOn = try row.decode(CalendarDate?.self, at: 5)
        state = try row.decode(at: 6)
        contingencyPlan = try row.decode(String?.self, at: 7)
        contingencyRecordedBy = try row.decode(String?.self, at: 8)
        createdAt = try row.decode(at: 9)
        updatedAt = try row.decode(at: 10)
    }
}

/// One gate of a cycle, with the sign-offs of its current round.
public struct GateRecord: Sendable, Codable, Equatable {
    public struct SignOff: Sendable, Codable, Equatable {
        let round: Int
        let officer: String
        let decision: String
        let findings: String
        let evidence: [String]
        let signedAt: Date
    }

    public let gate: VettingGate
    public let state: GateState
    public let round: Int
    public let findings: String?
    public let evidence: [String]
    public let passedAt: Date?
    public let failedAt: Date?
    public var signOffs: [SignOff] = []
}

/// One checklist item of a campaign.
public struct CampaignItem: Sendable, Codable, Equatable {
    let campaign: Campaign
    let item: String
    let title: String
    let doneBy: String?
    let doneAt: Date?
    let note: String?
}

/// Election officers of a street act on its communities' cycles; the command centre reads every one.
struct ElectionAccess {
    /// `$level` and `$code` parameters: the district (command centre) or a street (its officers).
    let level: String
    let code: String

    init(reading principal: Principal) throws {
        switch principal.role {
        case .electionOfficer where principal.scope.level == .street:
            (level, code) = ("street", principal.scope.code)
        case .commandCentre:
            (level, code) = ("district", "")
        default:
            throw Problem.forbidden("election vetting is for the street's election officers and the command centre")
        }
    }

    init(changing principal: Principal) throws {
        guard principal.role == .electionOfficer, principal.scope.level == .street else {
            throw Problem.forbidden("election officers of the street change a cycle")
        }
        (level, code) = ("street", principal.scope.code)
    }

    static func predicate(alias: String, level: Int, code: Int) -> String {
        "($\(level) = 'district' OR \(alias).street_code = $\(code))"
    }
}

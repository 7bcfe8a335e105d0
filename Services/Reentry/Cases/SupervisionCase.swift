import Foundation
import GridCore
import Postgres

/// A supervision case as staff lists see it: the pseudonymous ref, the rules it is under, where
/// and by whom it is supervised — and nothing that names the person.
public struct SupervisionCase: Sendable, Codable, Equatable {
    public let id: UUID
    public let caseRef: String
    public let kind: CaseKind
    public let level: SupervisionLevel
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    public let residenceGrid: String?
    public let communityCode: String
    public let streetCode: String
    public let state: String
    public let communityWorker: String
    public let policeOfficer: String
    public let supervisor: String
    public let reassessBy: CalendarDate
    public let legalHold: Bool
    public let openedAt: Date
    public let closedAt: Date?

    static let columns = """
        c.id, c.case_ref, c.kind, c.level, c.starts_on, c.ends_on, c.residence_grid, c.community_code, c.street_code, c.state,
        c.community_worker, c.police_officer, c.supervisor, c.reassess_by, c.legal_hold, c.opened_at, c.closed_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        caseRef = try row.decode(at: 1)
        kind = CaseKind(rawValue: try row.decode(at: 2))!
        level = SupervisionLevel(rawValue: try row.decode(at: 3))!
        startsOn = try row.decode(at: 4)
        endsOn = try row.decode(at: 5)
        residenceGrid = try row.decode(String?.self, at: 6)
        communityCode = try row.decode(at: 7)
        streetCode = try row.decode(at: 8)
        state = try row.decode(at: 9)
        communityWorker = try row.decode(at: 10)
        policeOfficer = try row.decode(at: 11)
        supervisor = try row.decode(at: 12)
        reassessBy = try row.decode(at: 13)
        legalHold = try row.decode(at: 14)
        openedAt = try row.decode(at: 15)
        closedAt = try row.decode(Date?.self, at: 16)
    }
}

/// The person behind a case: every field here is sealed before it is stored.
public struct PersonRecord: Sendable, Codable, Equatable {
    public var name: String
    public var nationalId: String
    public var gender: String?
    public var dateOfBirth: CalendarDate?
    public var address: String?
    public var phone: String?
    public var emergencyContact: String?
}

/// One item of the support plan (帮教计划); its details are sealed.
public struct SupportItem: Sendable, Codable, Equatable {
    public static let areas = ["employment", "housing", "education", "family"]
    public static let statuses = ["planned", "in_progress", "done", "dropped"]

    public let id: UUID
    public let area: String
    public let status: String
    public let dueOn: CalendarDate?
    public let details: String
    public let updatedBy: String
    public let updatedAt: Date
}

/// A pseudonymous case ref: `RC-` and ten random Crockford base-32 characters. It reveals nothing
/// and is what events, patrold and logs carry.
enum CaseRef {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return "RC-" + String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}

import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// A caseload row: the case and how many of its contacts are overdue.
public struct CaseloadEntry: Sendable, Encodable {
    let supervisionCase: SupervisionCase
    let overdueContacts: Int

    enum Keys: String, CodingKey { case overdueContacts = "overdue_contacts" }

    public func encode(to encoder: any Encoder) throws {
        try supervisionCase.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(overdueContacts, forKey: .overdueContacts)
    }
}

/// Everything about one case, the person included: every such read is audited.
public struct CaseDetail: Sendable, Encodable {
    public struct Assignment: Sendable, Codable, Equatable {
        let fromAt: Date
        let toAt: Date?
        let communityWorker: String
        let policeOfficer: String
        let supervisor: String
        let reason: String
        let assignedBy: String
    }

    public struct LevelDecision: Sendable, Codable, Equatable {
        let effectiveOn: CalendarDate
        let level: String
        let reason: String
        let decidedBy: String
        let decidedAt: Date
    }

    let supervisionCase: SupervisionCase
    let person: PersonRecord
    let assignments: [Assignment]
    let levels: [LevelDecision]
    let supportPlan: [SupportItem]
    let obligations: [Obligation]

    enum Keys: String, CodingKey {
        case person, assignments, levels
        case supportPlan = "support_plan"
        case obligations
    }

    public func encode(to encoder: any Encoder) throws {
        try supervisionCase.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(person, forKey: .person)
        try container.encode(assignments, forKey: .assignments)
        try container.encode(levels, forKey: .levels)
        try container.encode(supportPlan, forKey: .supportPlan)
        try container.encode(obligations, forKey: .obligations)
    }
}

/// An open or overdue obligation in a due list.
public struct DueItem: Sendable, Codable, Equatable {
    let caseId: UUID
    let caseRef: String
    let communityCode: String
    let contactType: ContactType
    let rule: Obligation.Rule
    let windowStart: CalendarDate
    let dueOn: CalendarDate
    let required: Int
    let done: Int
    let state: Obligation.State
}

extension CaseStore {
    /// The caller's caseload (or, for inspectors, every case), optionally of one community.
    public func caseload(for principal: Principal, community: String?, state: String, limit: Int, after cursor: (Date, UUID)?) async throws -> [CaseloadEntry] {
        let access = try CaseAccess(reading: principal)
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(SupervisionCase.columns),
                       (SELECT count(*)::int FROM reentry.overdue_marks m WHERE m.case_id = c.id AND m.cleared_at IS NULL)
                FROM reentry.cases c
                WHERE \(CaseAccess.predicate(alias: "c", reach: 1, subject: 2)) AND ($3::text IS NULL OR c.community_code = $3) AND c.state = $4
                  AND ($5::timestamptz IS NULL OR (c.opened_at, c.id) > ($5, $6))
                ORDER BY c.opened_at, c.id LIMIT $7
                """, [access.reach.rawValue, access.subject, community, state, cursor?.0, cursor?.1, limit]
            ).map { CaseloadEntry(supervisionCase: try SupervisionCase(row: $0), overdueContacts: try $0.decode(at: 17)) }
        }
    }

    /// The whole record, the person opened from their sealed box. Audited as `person.read`.
    public func detail(_ caseID: UUID, for principal: Principal, requestID: String?) async throws -> CaseDetail {
        let access = try CaseAccess(reading: principal)
        let now = clock.now()
        return try await pool.transaction { connection in
            let supervisionCase = try fetch(caseID, access: access, on: connection)
            try audit(principal, "person.read", supervisionCase, requestID: requestID, on: connection)
            let sealed = try connection.query("SELECT sealed FROM reentry.persons WHERE case_id = $1", [caseID]).first!.decode(Data.self, at: 0)
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let (engine, contacts) = try CaseFacts.engine(for: caseID, calendar: calendar, on: connection)!
            return CaseDetail(
                supervisionCase: supervisionCase, person: try sealer.open(PersonRecord.self, from: sealed, boundTo: caseID),
                assignments: try Self.assignments(caseID, on: connection), levels: try Self.levels(caseID, on: connection),
                supportPlan: try supportPlan(caseID, on: connection),
                obligations: engine.obligations(asOf: min(calendar.day(of: now), supervisionCase.endsOn), contacts: contacts))
        }
    }

    static func assignments(_ caseID: UUID, on connection: PostgresConnection) throws -> [CaseDetail.Assignment] {
        try connection.query(
            """
            SELECT from_at, to_at, community_worker, police_officer, supervisor, reason, assigned_by FROM reentry.assignments
            WHERE case_id = $1 ORDER BY from_at
            """, [caseID]
        ).map {
            CaseDetail.Assignment(
                fromAt: try $0.decode(at: 0), toAt: try $0.decode(Date?.self, at: 1), communityWorker: try $0.decode(at: 2),
                policeOfficer: try $0.decode(at: 3), supervisor: try $0.decode(at: 4), reason: try $0.decode(at: 5), assignedBy: try $0.decode(at: 6))
        }
    }

    static func levels(_ caseID: UUID, on connection: PostgresConnection) throws -> [CaseDetail.LevelDecision] {
        try connection.query(
            "SELECT effective_on, level, reason, decided_by, decided_at FROM reentry.levels WHERE case_id = $1 ORDER BY effective_on", [caseID]
        ).map {
            CaseDetail.LevelDecision(
                effectiveOn: try $0.decode(at: 0), level: try $0.decode(at: 1), reason: try $0.decode(at: 2), decidedBy: try $0.decode(at: 3),
                decidedAt: try $0.decode(at: 4))
        }
    }

    func supportPlan(_ caseID: UUID, on connection: PostgresConnection) throws -> [SupportItem] {
        try connection.query(
            "SELECT id, area, status, due_on, sealed, updated_by, updated_at FROM reentry.support_items WHERE case_id = $1 ORDER BY area, id", [caseID]
        ).map {
            let id: UUID = try $0.decode(at: 0)
            return SupportItem(
                id: id, area: try $0.decode(at: 1), status: try $0.decode(at: 2), dueOn: try $0.decode(CalendarDate?.self, at: 3),
                details: try sealer.open(String.self, from: try $0.decode(at: 4), boundTo: id), updatedBy: try $0.decode(at: 5),
                updatedAt: try $0.decode(at: 6))
        }
    }

    /// Open and overdue obligations across the caller's caseload (per caseworker), optionally of one
    /// community (per community) — case refs and dates only.
    public func dueList(for principal: Principal, community: String?) async throws -> [DueItem] {
        let access = try CaseAccess(reading: principal)
        let now = clock.now()
        return try await pool.withConnection { [timeZone] connection in
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let today = calendar.day(of: now)
            var items: [DueItem] = []
            for row in try connection.query(
                """
                SELECT c.id, c.case_ref, c.community_code FROM reentry.cases c
                WHERE c.state = 'open' AND \(CaseAccess.predicate(alias: "c", reach: 1, subject: 2)) AND ($3::text IS NULL OR c.community_code = $3)
                ORDER BY c.id
                """, [access.reach.rawValue, access.subject, community])
            {
                let id: UUID = try row.decode(at: 0)
                guard let (engine, contacts) = try CaseFacts.engine(for: id, calendar: calendar, on: connection) else { continue }
                for obligation in engine.obligations(asOf: today, contacts: contacts) where obligation.state == .open || obligation.state == .overdue {
                    items.append(
                        DueItem(
                            caseId: id, caseRef: try row.decode(at: 1), communityCode: try row.decode(at: 2), contactType: obligation.contactType,
                            rule: obligation.rule, windowStart: obligation.windowStart, dueOn: obligation.dueOn, required: obligation.required,
                            done: obligation.contacts.count, state: obligation.state))
                }
            }
            return items.sorted { ($0.state == .overdue ? 0 : 1, $0.dueOn, $0.caseRef) < ($1.state == .overdue ? 0 : 1, $1.dueOn, $1.caseRef) }
        }
    }
}

extension CaseStore {
    /// Every obligation of one case as of today (no personal data; not audited).
    public func obligations(of caseID: UUID, for principal: Principal) async throws -> [Obligation] {
        let access = try CaseAccess(reading: principal)
        let now = clock.now()
        return try await pool.withConnection { [timeZone] connection in
            let supervisionCase = try fetch(caseID, access: access, on: connection)
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let (engine, contacts) = try CaseFacts.engine(for: caseID, calendar: calendar, on: connection)!
            return engine.obligations(asOf: min(calendar.day(of: now), supervisionCase.endsOn), contacts: contacts)
        }
    }
}

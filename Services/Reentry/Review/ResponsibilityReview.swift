import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// 倒查: for one case and a period, what was required, what was done, who was assigned at each
/// moment and every miss — so anyone reviewing can see whether every duty was done and whose it was.
/// Names no person: the case ref, staff accounts, dates and outcomes.
public struct ResponsibilityReview: Sendable, Encodable {
    public struct Duty: Sendable, Encodable {
        let obligation: Obligation
        /// Who was assigned on the due date (or now, for duties not yet due).
        let assignedCommunityWorker: String?
        let assignedPoliceOfficer: String?
        let assignedSupervisor: String?
        let overdueAlertedAt: Date?
        let escalatedAt: Date?
    }

    public struct ContactEntry: Sendable, Encodable {
        let id: UUID
        let occurredAt: Date
        let contactType: String
        let method: String
        let location: String
        let outcome: String
        let countsAs: [String]
        let recordedBy: String
        let viaPatrolVisit: Bool
    }

    public struct Deferral: Sendable, Encodable {
        let contactType: String?
        let fromOn: CalendarDate
        let untilOn: CalendarDate
        let reason: String
        let decidedBy: String
        let decidedAt: Date
        /// Started on a day already past when decided: it may have excused misses (see `excusedMisses`).
        let backdated: Bool
    }

    public struct AlertEntry: Sendable, Encodable {
        let kind: String
        let recipient: String
        let contactType: String?
        let dueOn: CalendarDate?
        let createdAt: Date
        let acknowledgedAt: Date?
    }

    let caseId: UUID
    let caseRef: String
    let kind: CaseKind
    let startsOn: CalendarDate
    let endsOn: CalendarDate
    let state: String
    let from: CalendarDate
    let to: CalendarDate
    let generatedAt: Date
    let assignments: [CaseDetail.Assignment]
    let levels: [CaseDetail.LevelDecision]
    let duties: [Duty]
    let misses: [Duty]
    /// Misses a backdated deferral made disappear: what the review would show without them.
    let excusedMisses: [Duty]
    let contacts: [ContactEntry]
    let deferrals: [Deferral]
    let alerts: [AlertEntry]
}

extension CaseStore {
    /// The review of a case over `from`…`to` — for its supervisor and discipline inspectors; audited.
    public func review(_ caseID: UUID, from: CalendarDate, to: CalendarDate, for principal: Principal, requestID: String?) async throws
        -> ResponsibilityReview
    {
        guard from <= to else { throw Problem.validation([.init(field: "to", message: "must not be before from")]) }
        let access = try CaseAccess(reading: principal)
        let now = clock.now()
        return try await pool.transaction { connection in
            let supervisionCase = try fetch(caseID, access: access, on: connection)
            guard access.reach == .review || supervisionCase.supervisor == principal.subject else {
                throw Problem.forbidden("a responsibility review is for the case's supervisor and discipline inspectors")
            }
            try audit(principal, "case.review", supervisionCase, reason: "\(from)…\(to)", requestID: requestID, on: connection)
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let today = min(calendar.day(of: now), supervisionCase.endsOn)
            let (engine, contacts) = try CaseFacts.engine(for: caseID, calendar: calendar, on: connection)!
            let assignments = try Self.assignments(caseID, on: connection)
            var marks: [String: (Date, Date?)] = [:]
            for row in try connection.query("SELECT obligation_key, overdue_at, escalated_at FROM reentry.overdue_marks WHERE case_id = $1", [caseID]) {
                marks[try row.decode(at: 0)] = (try row.decode(at: 1), try row.decode(Date?.self, at: 2))
            }
            func assigned(on day: CalendarDate) -> CaseDetail.Assignment? {
                let moment = calendar.endOfDay(min(day, calendar.day(of: now)))
                return assignments.last { $0.fromAt <= moment && ($0.toAt.map { $0 > moment } ?? true) } ?? assignments.first
            }
            func duties(_ engine: ContactEngine) -> [ResponsibilityReview.Duty] {
                engine.obligations(asOf: today, contacts: contacts).filter { $0.windowStart <= to && $0.dueOn >= from }.map { obligation in
                    let who = assigned(on: obligation.dueOn)
                    return ResponsibilityReview.Duty(
                        obligation: obligation, assignedCommunityWorker: who?.communityWorker, assignedPoliceOfficer: who?.policeOfficer,
                        assignedSupervisor: who?.supervisor, overdueAlertedAt: marks[obligation.key]?.0, escalatedAt: marks[obligation.key]?.1)
                }
            }
            func misses(_ duties: [ResponsibilityReview.Duty]) -> [ResponsibilityReview.Duty] {
                duties.filter { [.overdue, .late].contains($0.obligation.state) }
            }
            let kept = duties(engine)
            let withoutBackdated = try CaseFacts.engine(for: caseID, calendar: calendar, backdated: false, on: connection).map { misses(duties($0.0)) } ?? []
            let keptMisses = Set(misses(kept).map(\.obligation.key))
            let excused = withoutBackdated.filter { !keptMisses.contains($0.obligation.key) }
            let start = calendar.startOfDay(from)
            let end = calendar.endOfDay(to)
            let contactEntries = try connection.query(
                """
                SELECT id, occurred_at, contact_type, method, location, outcome, recorded_by, visit_request_id IS NOT NULL FROM reentry.contacts
                WHERE case_id = $1 AND occurred_at BETWEEN $2 AND $3 ORDER BY occurred_at, id
                """, [caseID, start, end]
            ).map {
                ResponsibilityReview.ContactEntry(
                    id: try $0.decode(at: 0), occurredAt: try $0.decode(at: 1), contactType: try $0.decode(at: 2), method: try $0.decode(at: 3),
                    location: try $0.decode(at: 4), outcome: try $0.decode(at: 5),
                    countsAs: ContactCounting.counts(method: try $0.decode(at: 3), location: try $0.decode(at: 4), outcome: try $0.decode(at: 5)).sorted()
                        .map(\.rawValue), recordedBy: try $0.decode(at: 6), viaPatrolVisit: try $0.decode(at: 7))
            }
            let deferrals = try connection.query(
                """
                SELECT contact_type, from_on, until_on, reason, decided_by, decided_at, backdated FROM reentry.deferrals
                WHERE case_id = $1 AND from_on <= $3 AND until_on >= $2 ORDER BY from_on
                """, [caseID, from, to]
            ).map {
                ResponsibilityReview.Deferral(
                    contactType: try $0.decode(String?.self, at: 0), fromOn: try $0.decode(at: 1), untilOn: try $0.decode(at: 2), reason: try $0.decode(at: 3),
                    decidedBy: try $0.decode(at: 4), decidedAt: try $0.decode(at: 5), backdated: try $0.decode(at: 6))
            }
            let alerts = try connection.query(
                """
                SELECT kind, recipient, contact_type, due_on, created_at, acknowledged_at FROM reentry.alerts
                WHERE case_id = $1 AND created_at BETWEEN $2 AND $3 ORDER BY created_at, id
                """, [caseID, start, end]
            ).map {
                ResponsibilityReview.AlertEntry(
                    kind: try $0.decode(at: 0), recipient: try $0.decode(at: 1), contactType: try $0.decode(String?.self, at: 2),
                    dueOn: try $0.decode(CalendarDate?.self, at: 3), createdAt: try $0.decode(at: 4), acknowledgedAt: try $0.decode(Date?.self, at: 5))
            }
            return ResponsibilityReview(
                caseId: caseID, caseRef: supervisionCase.caseRef, kind: supervisionCase.kind, startsOn: supervisionCase.startsOn,
                endsOn: supervisionCase.endsOn,
                state: supervisionCase.state, from: from, to: to, generatedAt: now,
                assignments: assignments.filter { $0.fromAt <= end && ($0.toAt.map { $0 >= start } ?? true) },
                levels: try Self.levels(caseID, on: connection), duties: kept, misses: misses(kept), excusedMisses: excused, contacts: contactEntries,
                deferrals: deferrals, alerts: alerts)
        }
    }
}

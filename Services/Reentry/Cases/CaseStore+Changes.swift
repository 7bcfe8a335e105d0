import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// A new pair (and optionally supervisor), with the pair the caller believes is assigned now:
/// if someone else changed it meanwhile, the reallocation is refused rather than overwriting theirs.
public struct Reallocation: Sendable, Decodable {
    let expectedCommunityWorker: String
    let expectedPoliceOfficer: String
    let communityWorker: String
    let policeOfficer: String
    let supervisor: String?
    let reason: String
}

public struct Reassessment: Sendable, Decodable {
    let level: SupervisionLevel
    let effectiveOn: CalendarDate
    let reason: String
}

public struct NewDeferral: Sendable, Decodable {
    let id: UUID
    let contactType: ContactType?
    let fromOn: CalendarDate
    let untilOn: CalendarDate
    let reason: String
}

extension CaseStore {
    static func requireReason(_ reason: String) throws {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.length <= 500 else {
            throw Problem.validation([.init(field: "reason", message: "a reason of 1 to 500 characters is required")])
        }
    }

    /// Hands the case to another pair — only its supervisor may, and only from the pair they expect.
    public func reallocate(_ caseID: UUID, _ change: Reallocation, by principal: Principal, requestID: String?) async throws -> SupervisionCase {
        try Self.requireReason(change.reason)
        guard change.communityWorker != change.policeOfficer else {
            throw Problem.validation([.init(field: "police_officer", message: "the pair must be two different people")])
        }
        let access = try CaseAccess(changing: principal)
        let now = clock.now()
        return try await pool.transaction { connection in
            let current = try fetch(caseID, access: access, forUpdate: true, on: connection)
            guard current.supervisor == principal.subject else { throw Problem.forbidden("only the case's supervisor reallocates it") }
            guard current.state == "open" else { throw Problem.conflict("case-closed", "only open cases are reallocated") }
            guard current.communityWorker == change.expectedCommunityWorker, current.policeOfficer == change.expectedPoliceOfficer else {
                throw Problem.conflict("assignment-changed", "the case is no longer assigned to the pair you expected; reload it and decide again")
            }
            let place = GridPlace(gridCode: current.residenceGrid ?? "", communityCode: current.communityCode, streetCode: current.streetCode)
            let supervisor = change.supervisor ?? current.supervisor
            var errors: [Problem.FieldError] = []
            for (field, subject, street) in [
                ("community_worker", change.communityWorker, false), ("police_officer", change.policeOfficer, false), ("supervisor", supervisor, true),
            ] where try !Self.isCaseworker(subject, of: place, streetLevel: street, on: connection) {
                errors.append(.init(field: field, message: street ? "is not a supervising caseworker of the street" : "is not a caseworker of the community"))
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            try connection.execute("UPDATE reentry.assignments SET to_at = $2 WHERE case_id = $1 AND to_at IS NULL", [caseID, now])
            try connection.execute(
                """
                INSERT INTO reentry.assignments (case_id, from_at, community_worker, police_officer, supervisor, reason, assigned_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [caseID, now, change.communityWorker, change.policeOfficer, supervisor, change.reason, principal.subject])
            try connection.execute(
                "UPDATE reentry.cases SET community_worker = $2, police_officer = $3, supervisor = $4 WHERE id = $1",
                [caseID, change.communityWorker, change.policeOfficer, supervisor])
            try audit(principal, "case.reallocate", current, reason: change.reason, requestID: requestID, on: connection)
            return try connection.query("SELECT \(SupervisionCase.columns) FROM reentry.cases c WHERE c.id = $1", [caseID]).first.map(
                SupervisionCase.init(row:))!
        }
    }

    /// The supervisor's periodic reassessment: a level (the same one confirms it) from a day on —
    /// never backdated, so what was required at any past moment stays what it was.
    public func reassess(_ caseID: UUID, _ decision: Reassessment, by principal: Principal, requestID: String?) async throws -> SupervisionCase {
        try Self.requireReason(decision.reason)
        let access = try CaseAccess(changing: principal)
        let now = clock.now()
        let bus = bus
        return try await pool.transaction { connection in
            let current = try fetch(caseID, access: access, forUpdate: true, on: connection)
            guard current.supervisor == principal.subject else { throw Problem.forbidden("only the case's supervisor reassesses it") }
            guard current.state == "open" else { throw Problem.conflict("case-closed", "only open cases are reassessed") }
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let today = calendar.day(of: now)
            guard decision.effectiveOn >= today, decision.effectiveOn <= current.endsOn else {
                throw Problem.validation([.init(field: "effective_on", message: "must lie between today and the case's end")])
            }
            let inserted = try connection.execute(
                """
                INSERT INTO reentry.levels (case_id, effective_on, level, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (case_id, effective_on) DO NOTHING
                """, [caseID, decision.effectiveOn, decision.level.rawValue, decision.reason, principal.subject, now])
            guard inserted == 1 else { throw Problem.conflict("level-decided", "a level already takes effect on \(decision.effectiveOn)") }
            try connection.execute(
                """
                UPDATE reentry.cases SET reassess_by = $2, level = CASE WHEN $3 <= $4 THEN $5 ELSE level END WHERE id = $1
                """, [caseID, decision.effectiveOn.adding(months: policy.reassessmentMonths), decision.effectiveOn, today, decision.level.rawValue])
            try connection.execute(
                "UPDATE reentry.alerts SET acknowledged_at = $2 WHERE case_id = $1 AND kind = 'reassessment_due' AND acknowledged_at IS NULL", [caseID, now])
            try audit(
                principal, "case.reassess", current, reason: "\(decision.level.rawValue) from \(decision.effectiveOn): \(decision.reason)",
                requestID: requestID, on: connection)
            try contactSupervision(calendar).supervise(caseID, today: today, now: now, on: connection)
            try CommunityCounts.publishChanges(bus: bus, now: now, on: connection)
            return try connection.query("SELECT \(SupervisionCase.columns) FROM reentry.cases c WHERE c.id = $1", [caseID]).first.map(
                SupervisionCase.init(row:))!
        }
    }

    /// Moves the due dates that fall in a span (hospital stay, approved leave) to its end; needs a reason.
    public func deferContacts(_ caseID: UUID, _ deferral: NewDeferral, by principal: Principal, requestID: String?) async throws {
        try Self.requireReason(deferral.reason)
        guard deferral.untilOn >= deferral.fromOn, deferral.untilOn <= deferral.fromOn.adding(days: 90) else {
            throw Problem.validation([.init(field: "until_on", message: "must be on or after from_on and at most 90 days later")])
        }
        let access = try CaseAccess(changing: principal)
        let now = clock.now()
        let bus = bus
        try await pool.transaction { connection in
            let current = try fetch(caseID, access: access, forUpdate: true, on: connection)
            guard current.state == "open" else { throw Problem.conflict("case-closed", "only open cases take deferrals") }
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            // from a past day it would erase misses already made: the pair cannot excuse their own
            let backdated = deferral.fromOn < calendar.day(of: now)
            if backdated, current.supervisor != principal.subject {
                throw Problem.forbidden("a deferral from a past day is the case's supervisor's to decide; the pair defers from today on")
            }
            let inserted = try connection.execute(
                """
                INSERT INTO reentry.deferrals (id, case_id, contact_type, from_on, until_on, reason, decided_by, decided_at, backdated)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING
                """,
                [deferral.id, caseID, deferral.contactType?.rawValue, deferral.fromOn, deferral.untilOn, deferral.reason, principal.subject, now, backdated])
            guard inserted == 1 else { return }
            try audit(
                principal, backdated ? "case.defer.backdated" : "case.defer", current, reason: "\(deferral.fromOn)…\(deferral.untilOn): \(deferral.reason)",
                requestID: requestID, on: connection)
            try contactSupervision(calendar).supervise(caseID, today: calendar.day(of: now), now: now, on: connection)
            try CommunityCounts.publishChanges(bus: bus, now: now, on: connection)
        }
    }

    /// A legal hold keeps a closed case's data past retention (litigation, appeal, investigation).
    /// The supervisor or a discipline inspector sets or lifts it, with a reason.
    public func setLegalHold(_ caseID: UUID, hold: Bool, reason: String, by principal: Principal, requestID: String?) async throws -> SupervisionCase {
        try Self.requireReason(reason)
        let access = try CaseAccess(reading: principal)
        return try await pool.transaction { connection in
            let current = try fetch(caseID, access: access, forUpdate: true, on: connection)
            guard access.reach == .review || current.supervisor == principal.subject else {
                throw Problem.forbidden("the case's supervisor or a discipline inspector sets a legal hold")
            }
            try connection.execute("UPDATE reentry.cases SET legal_hold = $2, legal_hold_reason = $3 WHERE id = $1", [caseID, hold, hold ? reason : nil])
            try audit(principal, hold ? "case.hold" : "case.release_hold", current, reason: reason, requestID: requestID, on: connection)
            return try connection.query("SELECT \(SupervisionCase.columns) FROM reentry.cases c WHERE c.id = $1", [caseID]).first.map(
                SupervisionCase.init(row:))!
        }
    }

    /// Adds to the support plan, or changes an item's status (and details).
    public func updateSupport(
        _ caseID: UUID, item id: UUID, area: String?, status: String?, details: String?, dueOn: CalendarDate?, by principal: Principal, requestID: String?
    ) async throws -> SupportItem {
        var errors: [Problem.FieldError] = []
        if let area, !SupportItem.areas.contains(area) {
            errors.append(.init(field: "area", message: "must be one of \(SupportItem.areas.joined(separator: ", "))"))
        }
        if let status, !SupportItem.statuses.contains(status) {
            errors.append(.init(field: "status", message: "must be one of \(SupportItem.statuses.joined(separator: ", "))"))
        }
        if let details, details.isEmpty || details.length > 2000 { errors.append(.init(field: "details", message: "must be 1 to 2000 characters")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let access = try CaseAccess(changing: principal)
        let now = clock.now()
        return try await pool.transaction { connection in
            let current = try fetch(caseID, access: access, forUpdate: true, on: connection)
            let exists = try connection.query("SELECT 1 FROM reentry.support_items WHERE id = $1 AND case_id = $2", [id, caseID]).count == 1
            if exists {
                try connection.execute(
                    """
                    UPDATE reentry.support_items SET status = coalesce($3, status), sealed = coalesce($4, sealed), due_on = coalesce($5, due_on),
                        updated_by = $6, updated_at = $7
                    WHERE id = $1 AND case_id = $2
                    """, [id, caseID, status, try details.map { try sealer.seal($0, boundTo: id) }, dueOn, principal.subject, now])
            } else {
                guard let area, let details else {
                    throw Problem.validation([.init(field: "area", message: "a new item needs an area and details")])
                }
                try connection.execute(
                    """
                    INSERT INTO reentry.support_items (id, case_id, area, status, due_on, sealed, updated_by, updated_at)
                    VALUES ($1, $2, $3, coalesce($4, 'planned'), $5, $6, $7, $8)
                    """, [id, caseID, area, status, dueOn, try sealer.seal(details, boundTo: id), principal.subject, now])
            }
            try audit(principal, "support.update", current, requestID: requestID, on: connection)
            return try supportPlan(caseID, on: connection).first { $0.id == id }!
        }
    }
}

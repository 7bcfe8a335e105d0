import EventBus
import Foundation
import GridCore
import Postgres

/// Turns a case's obligations into alerts, once each: an obligation that goes overdue alerts the
/// pair (`contact.overdue`); one still overdue after the grace period alerts their supervisor
/// (`contact.escalated`) and asks patrold for a home visit in the residence grid
/// (`visit.requested`); a mark clears when the obligation is met. Runs inside the caller's
/// transaction — the sweep's, or the one that recorded a contact.
struct ContactSupervision {
    let bus: EventBus
    let policy: SupervisionPolicy
    let calendar: WorkingCalendar

    struct Mark {
        let key: String
        let escalated: Bool
    }

    func supervise(_ caseID: UUID, today: CalendarDate, now: Date, on connection: PostgresConnection) throws {
        guard
            let row = try connection.query(
                """
                SELECT case_ref, community_code, street_code, residence_grid, community_worker, police_officer, supervisor, state
                FROM reentry.cases WHERE id = $1
                """, [caseID]
            ).first
        else { return }
        let caseRef: String = try row.decode(at: 0)
        let community: String = try row.decode(at: 1)
        let street: String = try row.decode(at: 2)
        let grid = try row.decode(String?.self, at: 3)
        let pair: [String] = [try row.decode(at: 4), try row.decode(at: 5)]
        let supervisor: String = try row.decode(at: 6)
        let open = try row.decode(String.self, at: 7) == "open"

        let overdue = open ? try overdueObligations(caseID, today: today, on: connection) : []
        var marks: [String: Mark] = [:]
        for mark in try connection.query(
            "SELECT obligation_key, escalated_at IS NOT NULL FROM reentry.overdue_marks WHERE case_id = $1 AND cleared_at IS NULL", [caseID])
        {
            marks[try mark.decode(at: 0)] = Mark(key: try mark.decode(at: 0), escalated: try mark.decode(at: 1))
        }
        for obligation in overdue {
            let payload = ReentryEvents.ContactOverdue(
                caseId: caseRef, contactType: obligation.contactType.rawValue, dueOn: obligation.dueOn.description, communityCode: community,
                streetCode: street)
            var escalated = marks[obligation.key]?.escalated ?? false
            if marks[obligation.key] == nil {
                escalated = try connection.query(
                    """
                    INSERT INTO reentry.overdue_marks (case_id, obligation_key, contact_type, due_on, overdue_at) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (case_id, obligation_key) DO UPDATE SET cleared_at = NULL, due_on = EXCLUDED.due_on
                    RETURNING escalated_at IS NOT NULL
                    """, [caseID, obligation.key, obligation.contactType.rawValue, obligation.dueOn, now]
                ).first!.decode(at: 0)
                for recipient in pair { try alert(caseID, recipient, "contact_overdue", obligation, now, on: connection) }
                try bus.publish("contact.overdue", payload, at: now, on: connection)
            }
            guard !escalated, today > obligation.dueOn.adding(days: policy.graceDays) else { continue }
            try connection.execute(
                "UPDATE reentry.overdue_marks SET escalated_at = $3 WHERE case_id = $1 AND obligation_key = $2", [caseID, obligation.key, now])
            try alert(caseID, supervisor, "contact_escalated", obligation, now, on: connection)
            try bus.publish("contact.escalated", payload, at: now, on: connection)
            if let grid { try requestVisit(caseID, caseRef: caseRef, grid: grid, for: obligation, now: now, on: connection) }
        }
        let stillOverdue = Set(overdue.map(\.key))
        for mark in marks.values where !stillOverdue.contains(mark.key) {
            try connection.execute(
                "UPDATE reentry.overdue_marks SET cleared_at = $3 WHERE case_id = $1 AND obligation_key = $2", [caseID, mark.key, now])
        }
    }

    func overdueObligations(_ caseID: UUID, today: CalendarDate, on connection: PostgresConnection) throws -> [Obligation] {
        guard let (engine, contacts) = try CaseFacts.engine(for: caseID, calendar: calendar, on: connection) else { return [] }
        return engine.obligations(asOf: today, contacts: contacts).filter { $0.state == .overdue }
    }

    func alert(_ caseID: UUID, _ recipient: String, _ kind: String, _ obligation: Obligation, _ now: Date, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            INSERT INTO reentry.alerts (id, case_id, recipient, kind, obligation_key, contact_type, due_on, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, recipient, kind, obligation_key) DO NOTHING
            """, [UUID.v7(at: now), caseID, recipient, kind, obligation.key, obligation.contactType.rawValue, obligation.dueOn, now])
    }

    /// One visit request at a time per case; patrold hears of it from `VisitRequester`.
    func requestVisit(_ caseID: UUID, caseRef: String, grid: String, for obligation: Obligation, now: Date, on connection: PostgresConnection) throws {
        let pending = try connection.query("SELECT 1 FROM reentry.visit_requests WHERE case_id = $1 AND state IN ('requested', 'sent')", [caseID])
        guard pending.count == 0 else { return }
        let id = UUID.v7(at: now)
        let dueBy = calendar.endOfDay(calendar.adding(workingDays: 2, to: calendar.day(of: now)))
        let inserted = try connection.execute(
            """
            INSERT INTO reentry.visit_requests (id, case_id, obligation_key, grid_code, due_by, next_attempt_at, created_at)
            VALUES ($1, $2, $3, $4, $5, now(), $6) ON CONFLICT (case_id, obligation_key) DO NOTHING
            """, [id, caseID, obligation.key, grid, dueBy, now])
        if inserted == 1 {
            try bus.publish("visit.requested", ReentryEvents.VisitRequested(caseId: caseRef, visitRequestId: id, gridCode: grid), at: now, on: connection)
        }
    }
}

import Daemon
import EventBus
import Foundation
import GridCore
import Logging
import Postgres
import ServiceLifecycle

/// An action item's steps: the owner agency reports it done with evidence; the street verifies it
/// or reopens it with a reason; a deadline moves only with a reason. Every step is kept.
extension MeetingStore {
    public struct ActionItemStep: Sendable, Codable {
        public let change: String
        public let evidence: String?
        public let reason: String?
        public let deadline: CalendarDate?
    }

    struct ItemEvent: Codable {
        let actionItemId: UUID
        let streetCode: String
        let ownerAgency: String
        let deadline: CalendarDate
    }

    /// `within` runs in the step's transaction (a callback records its webhook id there).
    public func step(
        _ id: UUID, _ step: ActionItemStep, by principal: Principal, within: (@Sendable (PostgresConnection) throws -> Void)? = nil
    ) async throws -> ActionItem {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        try await pool.transaction { connection in
            guard
                let row = try connection.query(
                    "SELECT street_code, owner_agency, state, deadline FROM meeting.action_items WHERE id = $1 FOR UPDATE", [id]
                ).first
            else { throw Problem.notFound("no such action item") }
            let street: String = try row.decode(at: 0)
            let owner: String = try row.decode(at: 1)
            let state: String = try row.decode(at: 2)
            let deadline: CalendarDate = try row.decode(at: 3)
            try Self.check(principal, street: street, arranging: false, otherwise: "no such action item")
            let arranging = principal.role == .streetOfficer || principal.role == .commandCentre
            let isOwner = principal.role == .agencyHead && principal.agency == owner
            var target = state
            var detail: String?
            var newDeadline = deadline
            switch step.change {
            case "done":
                guard isOwner || principal.role == .service else { throw Problem.forbidden("the owner agency reports its action item done") }
                guard state == "open" || state == "reopened" else {
                    throw Problem.conflict("illegal-transition", "an action item that is \(state) cannot be done")
                }
                guard let evidence = step.evidence?.trimmingCharacters(in: .whitespacesAndNewlines), !evidence.isEmpty, evidence.length <= 2000 else {
                    throw Problem.validation([.init(field: "evidence", message: "is required, 1 to 2000 characters")])
                }
                target = "done"
                detail = evidence
            case "verify", "reopen":
                guard arranging else { throw Problem.forbidden("the street verifies or reopens action items") }
                guard state == "done" else { throw Problem.conflict("illegal-transition", "only a done action item can be verified or reopened") }
                if step.change == "reopen" {
                    guard let reason = step.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                        throw Problem.validation([.init(field: "reason", message: "is required to reopen")])
                    }
                    detail = reason
                }
                target = step.change == "verify" ? "verified" : "reopened"
            case "move_deadline":
                guard arranging else { throw Problem.forbidden("the street moves deadlines") }
                guard state == "open" || state == "reopened" else { throw Problem.conflict("illegal-transition", "a finished action item keeps its deadline") }
                guard let reason = step.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                    throw Problem.validation([.init(field: "reason", message: "moving a deadline needs a reason")])
                }
                guard let moved = step.deadline, moved >= today, moved != deadline else {
                    throw Problem.validation([.init(field: "deadline", message: "must be a new date, today or later")])
                }
                newDeadline = moved
                detail = "\(deadline) → \(moved): \(reason)"
            default:
                throw Problem.validation([.init(field: "change", message: "must be done, verify, reopen or move_deadline")])
            }
            // the linked findings are resolved with the owner agency's authority: its head's, or the
            // agency's own when its back-office called back
            let doneFor =
                isOwner ? principal : Principal(subject: principal.subject, role: .agencyHead, scope: Scope(level: .street, code: street), agency: owner)
            try connection.execute(
                """
                UPDATE meeting.action_items SET state = $2, deadline = $3, evidence = CASE WHEN $2 = 'done' THEN $4 ELSE evidence END,
                    overdue_at = CASE WHEN $3 <> deadline OR $2 = 'reopened' THEN NULL ELSE overdue_at END, updated_at = $5,
                    done_for = CASE WHEN $2 = 'done' THEN $6 ELSE done_for END
                WHERE id = $1
                """, [id, target, newDeadline, detail, now, doneFor.onBehalfValue])
            try connection.execute(
                "INSERT INTO meeting.action_item_changes (action_item_id, change, from_state, to_state, detail, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                [id, step.change, state, target, detail, principal.subject, now])
            try within?(connection)
            if target == "done" {
                // the linked findings are the agency's work too: patrold is asked to mark them resolved
                // (one whose dispatch is still on its way is asked when the dispatch is through)
                try connection.execute(
                    """
                    UPDATE meeting.linked_findings SET wanted = 'resolve', state = 'requested', attempts = 0, next_attempt_at = now(), last_error = NULL
                    WHERE action_item_id = $1 AND state IN ('sent', 'dispatched')
                    """, [id])
                try bus.publish(
                    "action_item.completed", ItemEvent(actionItemId: id, streetCode: street, ownerAgency: owner, deadline: newDeadline), at: now, on: connection
                )
            }
        }
        return try await actionItem(id, for: principal)
    }

    /// Marks action items past their deadline (once each) and announces `action_item.overdue`.
    @discardableResult
    func markOverdue() async throws -> Int {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        return try await pool.transaction { connection in
            let rows = try connection.query(
                """
                WITH due AS (
                    SELECT id FROM meeting.action_items
                    WHERE state IN ('open', 'reopened') AND overdue_at IS NULL AND deadline < $1 FOR UPDATE SKIP LOCKED
                )
                UPDATE meeting.action_items a SET overdue_at = $2 FROM due WHERE a.id = due.id
                RETURNING a.id, a.street_code, a.owner_agency, a.deadline, a.state
                """, [today, now])
            for row in rows {
                let event = ItemEvent(
                    actionItemId: try row.decode(at: 0), streetCode: try row.decode(at: 1), ownerAgency: try row.decode(at: 2), deadline: try row.decode(at: 3))
                let state: String = try row.decode(at: 4)
                try connection.execute(
                    "INSERT INTO meeting.action_item_changes (action_item_id, change, from_state, to_state, detail, actor, at) VALUES ($1, 'overdue', $2, $2, $3, 'meetingd', $4)",
                    [event.actionItemId, state, "past \(event.deadline)", now])
                try bus.publish("action_item.overdue", event, at: now, on: connection)
            }
            return rows.count
        }
    }
}

/// Checks for overdue action items and unanswered rectification orders every few minutes.
struct ActionItemSupervisor: Service {
    let store: MeetingStore
    let rectifications: Rectifications
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "checking action items failed") {
            let count = try await store.markOverdue()
            if count > 0 { logger.info("action items past their deadline", metadata: ["count": "\(count)"]) }
            let escalated = try await rectifications.escalate()
            if escalated > 0 { logger.info("rectification orders escalated", metadata: ["count": "\(escalated)"]) }
        }
    }
}

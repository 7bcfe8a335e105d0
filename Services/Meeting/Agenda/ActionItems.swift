import Daemon
import Foundation
import GridCore
import Postgres

/// An action item from a meeting, with where its linked findings stand in patrold.
public struct ActionItem: Sendable, Codable {
    public struct Linked: Sendable, Codable {
        public let findingId: UUID
        public let state: String
        public let lastError: String?
    }

    public let id: UUID
    public let meetingId: UUID
    public let streetCode: String
    public let ownerAgency: String
    public let title: String
    public let deadline: String
    public let state: String
    public let evidence: String?
    public let overdue: Bool
    public let linkedFindings: [Linked]
    public let history: [Change]

    public struct Change: Sendable, Codable {
        public let change: String
        public let fromState: String
        public let toState: String
        public let detail: String?
        public let actor: String
        public let at: Date
    }
}

extension MeetingStore {
    public func actionItem(_ id: UUID, for principal: Principal) async throws -> ActionItem {
        try await pool.withConnection { connection in
            guard
                let row = try connection.query(
                    "SELECT id, meeting_id, street_code, owner_agency, title, deadline, state, evidence, overdue_at IS NOT NULL FROM meeting.action_items WHERE id = $1",
                    [id]
                ).first
            else { throw Problem.notFound("no such action item") }
            let street: String = try row.decode(at: 2)
            try Self.check(principal, street: street, arranging: false, otherwise: "no such action item")
            let linked = try connection.query(
                "SELECT finding_id, state, last_error FROM meeting.linked_findings WHERE action_item_id = $1 ORDER BY finding_id", [id]
            ).map { ActionItem.Linked(findingId: try $0.decode(at: 0), state: try $0.decode(at: 1), lastError: try $0.decode(String?.self, at: 2)) }
            let history = try connection.query(
                "SELECT change, from_state, to_state, detail, actor, at FROM meeting.action_item_changes WHERE action_item_id = $1 ORDER BY id", [id]
            ).map { row in
                ActionItem.Change(
                    change: try row.decode(at: 0), fromState: try row.decode(at: 1), toState: try row.decode(at: 2),
                    detail: try row.decode(String?.self, at: 3),
                    actor: try row.decode(at: 4), at: try row.decode(at: 5))
            }
            return ActionItem(
                id: try row.decode(at: 0), meetingId: try row.decode(at: 1), streetCode: street, ownerAgency: try row.decode(at: 3),
                title: try row.decode(at: 4), deadline: try row.decode(CalendarDate.self, at: 5).description, state: try row.decode(at: 6),
                evidence: try row.decode(String?.self, at: 7), overdue: try row.decode(at: 8), linkedFindings: linked, history: history)
        }
    }
}

/// An action item as a street's list shows it: without its history and linked findings.
public struct ActionItemSummary: Sendable, Codable {
    public let id: UUID
    public let meetingId: UUID
    public let ownerAgency: String
    public let title: String
    public let deadline: String
    public let state: String
    public let overdue: Bool
}

extension MeetingStore {
    /// A street's action items, the overdue and the nearest deadlines first; `state` narrows them
    /// (open, reopened, done, verified), `overdue` to those past their deadline. At most 500.
    public func actionItems(street: String, state: String?, overdueOnly: Bool, for principal: Principal) async throws -> [ActionItemSummary] {
        try Self.check(principal, street: street, arranging: false)
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT id, meeting_id, owner_agency, title, deadline, state, overdue_at IS NOT NULL FROM meeting.action_items
                WHERE street_code = $1 AND ($2::text IS NULL OR state = $2) AND (NOT $3 OR overdue_at IS NOT NULL)
                ORDER BY overdue_at IS NULL, deadline, id LIMIT 500
                """, [street, state, overdueOnly]
            ).map { row in
                ActionItemSummary(
                    id: try row.decode(at: 0), meetingId: try row.decode(at: 1), ownerAgency: try row.decode(at: 2), title: try row.decode(at: 3),
                    deadline: try row.decode(CalendarDate.self, at: 4).description, state: try row.decode(at: 5), overdue: try row.decode(at: 6))
            }
        }
    }
}

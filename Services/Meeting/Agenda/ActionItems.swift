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
    public let linkedFindings: [Linked]
}

extension MeetingStore {
    public func actionItem(_ id: UUID, for principal: Principal) async throws -> ActionItem {
        try await pool.withConnection { connection in
            guard
                let row = try connection.query(
                    "SELECT id, meeting_id, street_code, owner_agency, title, deadline, state FROM meeting.action_items WHERE id = $1", [id]
                ).first
            else { throw Problem.notFound("no such action item") }
            let street: String = try row.decode(at: 2)
            try Self.check(principal, street: street, arranging: false)
            let linked = try connection.query(
                "SELECT finding_id, state, last_error FROM meeting.linked_findings WHERE action_item_id = $1 ORDER BY finding_id", [id]
            ).map { ActionItem.Linked(findingId: try $0.decode(at: 0), state: try $0.decode(at: 1), lastError: try $0.decode(String?.self, at: 2)) }
            return ActionItem(
                id: try row.decode(at: 0), meetingId: try row.decode(at: 1), streetCode: street, ownerAgency: try row.decode(at: 3),
                title: try row.decode(at: 4), deadline: try row.decode(CalendarDate.self, at: 5).description, state: try row.decode(at: 6),
                linkedFindings: linked)
        }
    }
}

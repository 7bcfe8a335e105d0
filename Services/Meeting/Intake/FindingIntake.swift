import EventBus
import Foundation
import GridCore
import Postgres

/// A finding meetingd heard of, as the street's agenda will see it.
public struct IntakeItem: Sendable, Codable, Equatable {
    public let findingId: UUID
    public let streetCode: String
    public let communityCode: String
    public let gridCode: String
    public let category: String
    public let observedAt: Date
    public let receivedAt: Date
}

/// Records `finding.submitted` events per street.
public enum FindingIntake {
    public static func register(_ handlers: inout EventHandlers) {
        handlers.on("finding.submitted", from: "patrold") { event, connection in
            let payload = try event.decodePayload(as: MeshEvents.FindingSubmitted.self)
            try connection.execute(
                """
                INSERT INTO meeting.finding_intake (event_id, finding_id, street_code, community_code, grid_code, category, observed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """,
                [event.id, payload.findingId, payload.streetCode, payload.communityCode, payload.gridCode, payload.category, payload.observedAt])
        }
    }

    /// The newest items of one street, newest first, after `cursor` (keyset pagination).
    public static func list(street: String, limit: Int, after cursor: (Date, UUID)?, on connection: PostgresConnection) throws -> [IntakeItem] {
        try connection.query(
            """
            SELECT finding_id, street_code, community_code, grid_code, category, observed_at, received_at
            FROM meeting.finding_intake
            WHERE street_code = $1 AND ($3::timestamptz IS NULL OR (received_at, finding_id) < ($3, $4))
            ORDER BY received_at DESC, finding_id DESC
            LIMIT $2
            """, [street, limit, cursor?.0, cursor?.1]
        ).map { row in
            IntakeItem(
                findingId: try row.decode(at: 0), streetCode: try row.decode(at: 1), communityCode: try row.decode(at: 2),
                gridCode: try row.decode(at: 3), category: try row.decode(at: 4), observedAt: try row.decode(at: 5), receivedAt: try row.decode(at: 6))
        }
    }
}

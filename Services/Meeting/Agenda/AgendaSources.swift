import EventBus
import Foundation
import Postgres

/// Turns other daemons' events into agenda candidates for the street's next meeting. Events carry
/// codes and ids only; the titles are written here from them.
public enum AgendaSources {
    struct Hotspot: Decodable {
        let hotspotId: UUID
        let level: String
        let areaCode: String
        let streetCode: String
        let category: String
        let findingCount: Int
    }

    struct Overdue: Decodable {
        let findingId: UUID
        let agencyCode: String
        let streetCode: String
        let gridCode: String
        let category: String
        let deadlineAt: Date
    }

    public static func register(_ handlers: inout EventHandlers) {
        handlers.on("hotspot.detected") { event, connection in
            let hotspot = try event.decodePayload(as: Hotspot.self)
            try connection.execute(
                """
                INSERT INTO meeting.agenda_candidates (street_code, kind, ref, severity, title, detail, raised_at)
                VALUES ($1, 'hotspot', $2, 4, $3, $4, $5) ON CONFLICT DO NOTHING
                """,
                [
                    hotspot.streetCode, hotspot.hotspotId.uuidString.lowercased(),
                    "热点：\(hotspot.level == "grid" ? "网格" : "社区") \(hotspot.areaCode) 的 \(hotspot.category) 问题 \(hotspot.findingCount) 起",
                    try JSONB(encoding: ["area_code": hotspot.areaCode, "category": hotspot.category, "finding_count": String(hotspot.findingCount)]),
                    event.occurredAt,
                ])
        }
        handlers.on("finding.overdue") { event, connection in
            let overdue = try event.decodePayload(as: Overdue.self)
            try connection.execute(
                """
                INSERT INTO meeting.agenda_candidates (street_code, kind, ref, severity, title, detail, raised_at)
                VALUES ($1, 'overdue_finding', $2, 3, $3, $4, $5) ON CONFLICT DO NOTHING
                """,
                [
                    overdue.streetCode, overdue.findingId.uuidString.lowercased(), "督办：\(overdue.agencyCode) 逾期未处置 \(overdue.category)（网格 \(overdue.gridCode)）",
                    try JSONB(encoding: ["agency_code": overdue.agencyCode, "grid_code": overdue.gridCode, "category": overdue.category]),
                    event.occurredAt,
                ])
        }
    }
}

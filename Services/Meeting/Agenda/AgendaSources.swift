import EventBus
import Foundation
import GridCore
import Postgres

/// Turns other daemons' events into agenda candidates for the street's next meeting. Events carry
/// codes and ids only; the titles are written here from them.
public enum AgendaSources {
    public static func register(_ handlers: inout EventHandlers) {
        handlers.on("reentry.alerts_counted", from: "reentryd") { event, connection in
            let alerts = try event.decodePayload(as: MeshEvents.ReentryAlertsCounted.self)
            // The heads hear the most contacts that were overdue at once since a meeting last took the
            // item, and how many still are: a lapse caught up before the meeting still belongs on its
            // agenda. One community's counts are taken in turn (the row may not exist yet to lock).
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('reentry_alerts:' || $1))", [alerts.communityCode])
            let earlier =
                try connection.query(
                    """
                    SELECT coalesce((detail->>'peak')::int, (detail->>'overdue_contacts')::int, 0) FROM meeting.agenda_candidates
                    WHERE kind = 'reentry_alerts' AND ref = $1 AND taken_by IS NULL FOR UPDATE
                    """, [alerts.communityCode]
                ).first?.decode(Int.self, at: 0) ?? 0
            let peak = max(earlier, alerts.overdueContacts)
            guard peak > 0 else { return }
            let name = try placeName("community", alerts.communityCode, on: connection)
            let still = alerts.overdueContacts
            let title = "帮教：\(name) \(peak) 次联系逾期" + (still == peak ? "" : still == 0 ? "（均已补上）" : "（\(still) 次仍逾期）")
            // a count taken by a past meeting is raised again, from this count
            try connection.execute(
                """
                INSERT INTO meeting.agenda_candidates (street_code, kind, ref, severity, title, detail, raised_at)
                VALUES ($1, 'reentry_alerts', $2, 4, $3, $4, $5)
                ON CONFLICT (kind, ref) DO UPDATE SET title = EXCLUDED.title, detail = EXCLUDED.detail, raised_at = EXCLUDED.raised_at,
                    street_code = EXCLUDED.street_code, taken_by = NULL
                """,
                [
                    alerts.streetCode, alerts.communityCode, title, try JSONB(encoding: ["overdue_contacts": still, "peak": peak]), event.occurredAt,
                ])
        }
        handlers.on("hotspot.detected", from: "patrold") { event, connection in
            let hotspot = try event.decodePayload(as: MeshEvents.Hotspot.self)
            let area = try placeName(hotspot.level == "grid" ? "grid" : "community", hotspot.areaCode, on: connection)
            let category = try categoryName(hotspot.category, on: connection)
            try connection.execute(
                """
                INSERT INTO meeting.agenda_candidates (street_code, kind, ref, severity, title, detail, raised_at)
                VALUES ($1, 'hotspot', $2, 4, $3, $4, $5) ON CONFLICT DO NOTHING
                """,
                [
                    hotspot.streetCode, hotspot.hotspotId.uuidString.lowercased(),
                    "热点：\(hotspot.level == "grid" ? "网格" : "社区") \(area) 的\(category)问题 \(hotspot.findingCount) 起",
                    try JSONB(encoding: ["area_code": hotspot.areaCode, "category": hotspot.category, "finding_count": String(hotspot.findingCount)]),
                    event.occurredAt,
                ])
        }
        handlers.on("finding.overdue", from: "patrold") { event, connection in
            let overdue = try event.decodePayload(as: MeshEvents.FindingDeadline.self)
            let agency = try connection.query("SELECT name_zh FROM geo.agencies WHERE code = $1", [overdue.agencyCode]).first?.decode(String.self, at: 0)
            let title =
                "督办：\(agency ?? overdue.agencyCode) 逾期未处置\(try categoryName(overdue.category, on: connection))问题（网格 \(try placeName("grid", overdue.gridCode, on: connection))）"
            try connection.execute(
                """
                INSERT INTO meeting.agenda_candidates (street_code, kind, ref, severity, title, detail, raised_at)
                VALUES ($1, 'overdue_finding', $2, 3, $3, $4, $5) ON CONFLICT DO NOTHING
                """,
                [
                    overdue.streetCode, overdue.findingId.uuidString.lowercased(), title,
                    try JSONB(encoding: ["agency_code": overdue.agencyCode, "grid_code": overdue.gridCode, "category": overdue.category]),
                    event.occurredAt,
                ])
        }
    }

    /// A grid's or community's name from the shared geography; the code if it has none.
    static func placeName(_ level: String, _ code: String, on connection: PostgresConnection) throws -> String {
        let table = level == "grid" ? "geo.grids" : "geo.communities"
        return try connection.query("SELECT name_zh FROM \(table) WHERE code = $1", [code]).first?.decode(String.self, at: 0) ?? code
    }

    /// A finding category's name from patrold's catalogue (reference data meetingd may read).
    static func categoryName(_ code: String, on connection: PostgresConnection) throws -> String {
        try connection.query("SELECT name_zh FROM patrol.categories WHERE code = $1", [code]).first?.decode(String.self, at: 0) ?? code
    }
}

import EventBus
import Foundation
import GridCore
import Postgres

/// Turns other daemons' events into agenda candidates for the street's next meeting. Events carry
/// codes and ids only; the titles are written here from them.
public enum AgendaSources {
    public static func register(_ handlers: inout EventHandlers) {
        handlers.on("reentry.alerts_counted") { event, connection in
            let alerts = try event.decodePayload(as: MeshEvents.ReentryAlertsCounted.self)
            // The heads hear how many contacts fell overdue since a meeting last took the item, and how
            // many are still open: a lapse caught up before the meeting still belongs on its agenda.
            let earlier =
                try connection.query(
                    """
                    SELECT coalesce((detail->>'peak')::int, (detail->>'overdue_contacts')::int, 0) FROM meeting.agenda_candidates
                    WHERE kind = 'reentry_alerts' AND ref = $1 AND taken_by IS NULL FOR UPDATE
                    """, [alerts.communityCode]
                ).first?.decode(Int.self, at: 0) ?? 0
            let peak = max(earlier, alerts.overdueContacts)
            guard peak > 0 else { return }
            let name =
                try connection.query("SELECT name_zh FROM geo.communities WHERE code = $1", [alerts.communityCode]).first?.decode(String.self, at: 0)
                ?? alerts.communityCode
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
        handlers.on("hotspot.detected") { event, connection in
            let hotspot = try event.decodePayload(as: MeshEvents.Hotspot.self)
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
            let overdue = try event.decodePayload(as: MeshEvents.FindingDeadline.self)
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

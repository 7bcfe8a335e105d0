import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Logging
import Postgres
import ServiceLifecycle

/// Builds, stores and announces weekly bulletins, on demand and every Sunday evening.
public struct BulletinPublisher: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone

    struct Published: Codable {
        let bulletinId: UUID
        let scope: String
        let weekStart: CalendarDate
        let overdueActionItems: Int
        let overdueRectifications: Int
    }

    /// The Monday of the week `day` falls in.
    static func weekStart(of day: CalendarDate) -> CalendarDate { day.adding(days: 1 - day.weekday) }

    /// Generates the bulletin of `scope` (`street:CODE` or `district`) for the week starting `week`.
    public func publish(scope: Scope, week: CalendarDate) async throws -> Bulletin {
        let now = clock.now()
        let calendar = WorkingCalendar(timeZone: timeZone)
        let today = calendar.day(of: now)
        let (from, to) = (calendar.startOfDay(week), calendar.startOfDay(week.adding(days: 7)))
        let street: String? = scope.level == .street ? scope.code : nil
        let bus = bus
        return try await pool.transaction { connection in
            let overdueItems = try connection.query(
                """
                SELECT a.id, a.street_code, a.title, a.owner_agency, g.name_zh, a.deadline FROM meeting.action_items a JOIN geo.agencies g ON g.code = a.owner_agency
                WHERE a.state IN ('open', 'reopened') AND a.deadline < $1 AND ($2::text IS NULL OR a.street_code = $2)
                ORDER BY a.deadline, a.owner_agency
                """, [today, street]
            ).map { row in
                Bulletin.OverdueItem(
                    id: try row.decode(at: 0), streetCode: try row.decode(at: 1), title: try row.decode(at: 2), ownerAgency: try row.decode(at: 3),
                    ownerAgencyName: try row.decode(at: 4), deadline: try row.decode(CalendarDate.self, at: 5).description)
            }
            let overdueOrders = try connection.query(
                """
                SELECT r.id, r.street_code, r.target_kind, r.target_code, coalesce(g.name_zh, c.name_zh, r.target_code), r.notice, r.deadline
                FROM meeting.rectifications r
                LEFT JOIN geo.agencies g ON r.target_kind = 'agency' AND g.code = r.target_code
                LEFT JOIN geo.communities c ON r.target_kind = 'community' AND c.code = r.target_code
                WHERE r.state = 'issued' AND r.deadline < $1 AND ($2::text IS NULL OR r.street_code = $2)
                ORDER BY r.deadline
                """, [today, street]
            ).map { row in
                Bulletin.OverdueOrder(
                    id: try row.decode(at: 0), streetCode: try row.decode(at: 1), targetKind: try row.decode(at: 2), targetCode: try row.decode(at: 3),
                    targetName: try row.decode(at: 4), notice: try row.decode(at: 5), deadline: try row.decode(CalendarDate.self, at: 6).description)
            }
            // on time: done (the first time) by the end of the deadline day, among items due this week
            let rates = try connection.query(
                """
                SELECT a.owner_agency, g.name_zh, count(*),
                       count(*) FILTER (WHERE (SELECT min(c.at) FROM meeting.action_item_changes c WHERE c.action_item_id = a.id AND c.change = 'done')
                                              < ((a.deadline + 1)::timestamp AT TIME ZONE $4))
                FROM meeting.action_items a JOIN geo.agencies g ON g.code = a.owner_agency
                WHERE a.deadline >= $3 AND a.deadline < $3 + 7 AND ($2::text IS NULL OR a.street_code = $2)
                GROUP BY 1, 2 ORDER BY 1
                """, [today, street, week, timeZone.identifier]
            ).map { row in
                let due: Int = try row.decode(at: 2)
                let onTime: Int = try row.decode(at: 3)
                return Bulletin.AgencyRate(
                    agencyCode: try row.decode(at: 0), agencyName: try row.decode(at: 1), due: due, onTime: onTime,
                    onTimeRate: due > 0 ? Double(onTime) / Double(due) : nil)
            }
            let hotspots = try connection.query(
                """
                SELECT street_code, title, raised_at FROM meeting.agenda_candidates
                WHERE kind = 'hotspot' AND raised_at >= $1 AND raised_at < $2 AND ($3::text IS NULL OR street_code = $3) ORDER BY raised_at
                """, [from, to, street]
            ).map { Bulletin.NewHotspot(streetCode: try $0.decode(at: 0), title: try $0.decode(at: 1), raisedAt: try $0.decode(at: 2)) }
            let held = try connection.query(
                "SELECT count(*) FROM meeting.meetings WHERE state = 'closed' AND starts_at >= $1 AND starts_at < $2 AND ($3::text IS NULL OR street_code = $3)",
                [from, to, street]
            ).first!.decode(Int.self, at: 0)
            let bulletin = Bulletin(
                id: .v7(at: now), scope: scope.description, weekStart: week.description, weekEnd: week.adding(days: 6).description, generatedAt: now,
                meetingsHeld: held, overdueActionItems: overdueItems, overdueRectifications: overdueOrders, onTime: rates, newHotspots: hotspots)
            try connection.execute(
                "INSERT INTO meeting.bulletins (id, scope, week_start, generated_at, body) VALUES ($1, $2, $3, $4, $5)",
                [bulletin.id, scope.description, week, now, JSONB(text: String(decoding: try WireJSON.encoder().encode(bulletin), as: UTF8.self))])
            try bus.publish(
                "bulletin.published",
                Published(
                    bulletinId: bulletin.id, scope: scope.description, weekStart: week, overdueActionItems: overdueItems.count,
                    overdueRectifications: overdueOrders.count),
                at: now, on: connection)
            return bulletin
        }
    }

    /// Every street's name by its code, for pages written in the staff's words.
    public func streetNames() async throws -> [String: String] {
        try await pool.withConnection { try PlaceNames.of(.street, on: $0) }
    }

    /// The newest bulletin of a scope.
    public func latest(scope: Scope) async throws -> Bulletin? {
        try await pool.withConnection { connection in
            try connection.query(
                "SELECT body::text FROM meeting.bulletins WHERE scope = $1 ORDER BY week_start DESC, generated_at DESC LIMIT 1", [scope.description]
            ).first.map { try WireJSON.decoder().decode(Bulletin.self, from: Data(try $0.decode(String.self, at: 0).utf8)) }
        }
    }

    /// Every Sunday from 20:00 (district time), the week's bulletins for each street with a committee and for the district.
    func publishDue() async throws -> Int {
        let calendar = WorkingCalendar(timeZone: timeZone)
        let now = clock.now()
        let today = calendar.day(of: now)
        guard today.weekday == 7, now >= calendar.startOfDay(today).addingTimeInterval(20 * 3600) else { return 0 }
        let week = Self.weekStart(of: today)
        let scopes = try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT s FROM (SELECT 'street:' || street_code AS s FROM meeting.committees UNION SELECT 'district') scopes
                WHERE NOT EXISTS (SELECT 1 FROM meeting.bulletins b WHERE b.scope = scopes.s AND b.week_start = $1)
                """, [week]
            ).compactMap { Scope(try $0.decode(String.self, at: 0)) }
        }
        for scope in scopes { _ = try await publish(scope: scope, week: week) }
        return scopes.count
    }
}

/// Publishes the weekly bulletins when they fall due.
struct BulletinSchedule: Service {
    let publisher: BulletinPublisher
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "publishing bulletins failed") {
            let count = try await publisher.publishDue()
            if count > 0 { logger.info("weekly bulletins published", metadata: ["count": "\(count)"]) }
        }
    }
}

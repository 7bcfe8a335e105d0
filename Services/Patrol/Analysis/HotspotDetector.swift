import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// A hotspot, as `GET /v1/hotspots` lists it and `hotspot.detected` announces it.
public typealias Hotspot = MeshEvents.Hotspot

/// Detects hotspots as findings arrive: at least `threshold` findings of one category in one grid
/// (or community) within the window. Rejected findings do not count; a duplicate merged into
/// another counts once, as itself. A hotspot fires once per area and category per window.
public struct HotspotDetector: Sendable {
    public struct Rule: Sendable {
        public var gridThreshold: Int
        public var communityThreshold: Int
        public var window: Duration

        public init(gridThreshold: Int = 3, communityThreshold: Int = 5, window: Duration = .seconds(7 * 86400)) {
            self.gridThreshold = gridThreshold
            self.communityThreshold = communityThreshold
            self.window = window
        }
    }

    public let rule: Rule

    public init(rule: Rule) { self.rule = rule }

    /// Checks the finding's grid and community after a submission, inside its transaction.
    func check(category: String, place: GridPlace, at now: Date, bus: EventBus, on connection: PostgresConnection) throws {
        let windowStart = now.addingTimeInterval(-Double(rule.window.components.seconds))
        // one check at a time per category and street, so two submissions cannot both fire (or both miss) it
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext('hotspot:' || $1 || ':' || $2))", [category, place.streetCode])
        for (level, area, threshold) in [("grid", place.gridCode, rule.gridThreshold), ("community", place.communityCode, rule.communityThreshold)] {
            let count = try connection.query(
                """
                SELECT count(*) FROM patrol.findings f JOIN geo.grids g ON g.code = f.grid_code
                WHERE f.category = $1 AND f.submitted_at > $2 AND f.state <> 'rejected'
                  AND (($3 = 'grid' AND f.grid_code = $4) OR ($3 = 'community' AND g.community_code = $4))
                """, [category, windowStart, level, area]
            ).first!.decode(Int.self, at: 0)
            guard count >= threshold else { continue }
            let fired = try connection.query(
                "SELECT 1 FROM patrol.hotspots WHERE level = $1 AND area_code = $2 AND category = $3 AND detected_at > $4",
                [level, area, category, windowStart])
            guard fired.count == 0 else { continue }
            let detected = Hotspot(
                hotspotId: .v7(at: now), level: level, areaCode: area, streetCode: place.streetCode, category: category, findingCount: count,
                windowStart: windowStart, detectedAt: now)
            try connection.execute(
                """
                INSERT INTO patrol.hotspots (id, level, area_code, street_code, category, finding_count, window_start, detected_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [detected.hotspotId, level, area, place.streetCode, category, count, windowStart, now])
            try bus.publish("hotspot.detected", detected, at: now, on: connection)
        }
    }
}

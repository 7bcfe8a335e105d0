import EventBus
import Foundation
import GridCore
import Postgres

/// How many contacts are overdue per community, published as `reentry.alerts_counted` whenever a
/// community's count changes (to zero too), so meetingd's agendas carry a count and never a case.
enum CommunityCounts {
    static func publishChanges(bus: EventBus, now: Date, on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext('reentry:community-counts'))")
        let changed = try connection.query(
            """
            WITH current AS (
                SELECT c.community_code, c.street_code, count(*)::int AS overdue
                FROM reentry.overdue_marks m JOIN reentry.cases c ON c.id = m.case_id
                WHERE m.cleared_at IS NULL AND c.state = 'open'
                GROUP BY c.community_code, c.street_code
            ), everywhere AS (
                SELECT community_code, street_code, overdue FROM current
                UNION ALL
                SELECT p.community_code, p.street_code, 0 FROM reentry.community_counts p
                WHERE NOT EXISTS (SELECT 1 FROM current WHERE current.community_code = p.community_code)
            )
            SELECT e.community_code, e.street_code, e.overdue FROM everywhere e
            LEFT JOIN reentry.community_counts p ON p.community_code = e.community_code
            WHERE p.overdue_contacts IS DISTINCT FROM e.overdue
            ORDER BY e.community_code
            """)
        for row in changed {
            let counted = MeshEvents.ReentryAlertsCounted(
                streetCode: try row.decode(at: 1), communityCode: try row.decode(at: 0), overdueContacts: try row.decode(at: 2))
            try connection.execute(
                """
                INSERT INTO reentry.community_counts (community_code, street_code, overdue_contacts, published_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (community_code) DO UPDATE SET overdue_contacts = EXCLUDED.overdue_contacts, published_at = EXCLUDED.published_at
                """, [counted.communityCode, counted.streetCode, counted.overdueContacts, now])
            try bus.publish("reentry.alerts_counted", counted, at: now, on: connection)
        }
    }
}

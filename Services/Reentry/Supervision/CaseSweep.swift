import Daemon
import Foundation
import Geography
import GridCore
import Logging
import Postgres
import ServiceLifecycle

/// The periodic pass over every open case: close those that ended, bring levels effective today
/// into force, raise reassessments that are due, supervise contacts, publish community counts.
/// Cases are taken in batches with `SKIP LOCKED`, so several instances share the work.
struct CaseSweep: Service {
    let store: CaseStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "supervising cases failed") {
            try await store.sweep()
        }
    }
}

extension CaseStore {
    /// One pass; returns how many open cases it supervised.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let bus = bus
        let policy = policy
        let calendar = try await pool.withConnection { [timeZone] in try CalendarSchema.load(on: $0, timeZone: timeZone) }
        let today = calendar.day(of: now)
        try await pool.transaction { connection in
            for ended in try connection.query(
                """
                UPDATE reentry.cases SET state = 'closed', closed_at = $2 WHERE state = 'open' AND ends_on < $1
                RETURNING id, case_ref, community_code
                """, [today, now])
            {
                try connection.execute(
                    "UPDATE reentry.overdue_marks SET cleared_at = $2 WHERE case_id = $1 AND cleared_at IS NULL", [try ended.decode(UUID.self, at: 0), now])
                try bus.publish(
                    "case.closed", ReentryEvents.CaseEnded(caseId: try ended.decode(at: 1), communityCode: try ended.decode(at: 2), state: "closed"), at: now,
                    on: connection)
            }
            try connection.execute(
                """
                UPDATE reentry.cases c SET level = l.level
                FROM (SELECT DISTINCT ON (case_id) case_id, level FROM reentry.levels WHERE effective_on <= $1 ORDER BY case_id, effective_on DESC) l
                WHERE c.id = l.case_id AND c.state = 'open' AND c.level <> l.level
                """, [today])
            try connection.execute(
                """
                INSERT INTO reentry.alerts (id, case_id, recipient, kind, obligation_key, due_on, created_at)
                SELECT gen_random_uuid(), id, supervisor, 'reassessment_due', 'reassess:' || reassess_by, reassess_by, $2
                FROM reentry.cases WHERE state = 'open' AND reassess_by <= $1
                ON CONFLICT (case_id, recipient, kind, obligation_key) DO NOTHING
                """, [today, now])
        }
        var supervised = 0
        var after = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!
        while true {
            let batch = try await pool.transaction { [after] connection in
                let ids = try connection.query(
                    "SELECT id FROM reentry.cases WHERE state = 'open' AND id > $1 ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED", [after]
                ).map { try $0.decode(UUID.self, at: 0) }
                let supervision = ContactSupervision(bus: bus, policy: policy, calendar: calendar)
                for id in ids { try supervision.supervise(id, today: today, now: now, on: connection) }
                return ids
            }
            supervised += batch.count
            guard let last = batch.last else { break }
            after = last
        }
        try await pool.transaction { connection in try CommunityCounts.publishChanges(bus: bus, now: now, on: connection) }
        return supervised
    }
}

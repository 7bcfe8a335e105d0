import Daemon
import Foundation
import GridCore
import Postgres

/// Counts per community: what the command centre sees of reentry work — never a case or a person.
public struct CommunityCaseload: Sendable, Codable, Equatable {
    let communityCode: String
    let streetCode: String
    let openCases: Int
    let communityCorrection: Int
    let postRelease: Int
    let strict: Int
    let overdueContacts: Int
    let escalatedContacts: Int
}

/// An alert in its recipient's inbox.
public struct CaseAlert: Sendable, Codable, Equatable {
    let id: UUID
    let caseId: UUID
    let caseRef: String
    let kind: String
    let contactType: String?
    let dueOn: CalendarDate?
    let createdAt: Date
    let acknowledgedAt: Date?
}

extension CaseStore {
    /// Per-community counts within the caller's scope (command centre, inspectors, caseworkers).
    public func summary(for principal: Principal) async throws -> [CommunityCaseload] {
        guard [.commandCentre, .disciplineInspector, .caseworker].contains(principal.role) else {
            throw Problem.forbidden("caseload counts are for the command centre, discipline inspectors and caseworkers")
        }
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT c.community_code, c.street_code, count(*)::int,
                       count(*) FILTER (WHERE c.kind = 'community_correction')::int, count(*) FILTER (WHERE c.kind = 'post_release')::int,
                       count(*) FILTER (WHERE c.level = 'strict')::int,
                       coalesce(sum((SELECT count(*) FROM reentry.overdue_marks m WHERE m.case_id = c.id AND m.cleared_at IS NULL)), 0)::int,
                       coalesce(sum((SELECT count(*) FROM reentry.overdue_marks m
                                     WHERE m.case_id = c.id AND m.cleared_at IS NULL AND m.escalated_at IS NOT NULL)), 0)::int
                FROM reentry.cases c
                WHERE c.state = 'open'
                  AND ($1 = 'district' OR ($1 = 'street' AND c.street_code = $2) OR ($1 = 'community' AND c.community_code = $2))
                GROUP BY c.community_code, c.street_code ORDER BY c.street_code, c.community_code
                """, [principal.scope.level.rawValue, principal.scope.code]
            ).map {
                CommunityCaseload(
                    communityCode: try $0.decode(at: 0), streetCode: try $0.decode(at: 1), openCases: try $0.decode(at: 2),
                    communityCorrection: try $0.decode(at: 3), postRelease: try $0.decode(at: 4), strict: try $0.decode(at: 5),
                    overdueContacts: try $0.decode(at: 6), escalatedContacts: try $0.decode(at: 7))
            }
        }
    }

    /// The caller's unacknowledged alerts, newest first.
    public func alerts(for principal: Principal) async throws -> [CaseAlert] {
        guard principal.role == .caseworker else { throw Problem.forbidden("alerts go to caseworkers and their supervisors") }
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT a.id, a.case_id, c.case_ref, a.kind, a.contact_type, a.due_on, a.created_at, a.acknowledged_at
                FROM reentry.alerts a JOIN reentry.cases c ON c.id = a.case_id
                WHERE a.recipient = $1 AND a.acknowledged_at IS NULL ORDER BY a.created_at DESC, a.id LIMIT 200
                """, [principal.subject]
            ).map {
                CaseAlert(
                    id: try $0.decode(at: 0), caseId: try $0.decode(at: 1), caseRef: try $0.decode(at: 2), kind: try $0.decode(at: 3),
                    contactType: try $0.decode(String?.self, at: 4), dueOn: try $0.decode(CalendarDate?.self, at: 5), createdAt: try $0.decode(at: 6),
                    acknowledgedAt: try $0.decode(Date?.self, at: 7))
            }
        }
    }

    public func acknowledge(alert id: UUID, by principal: Principal) async throws {
        let now = clock.now()
        let changed = try await pool.withConnection { connection in
            try connection.execute(
                "UPDATE reentry.alerts SET acknowledged_at = coalesce(acknowledged_at, $3) WHERE id = $1 AND recipient = $2", [id, principal.subject, now])
        }
        guard changed == 1 else { throw Problem.notFound("no alert of yours with this id") }
    }
}

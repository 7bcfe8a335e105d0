import Daemon
import EventBus
import Foundation
import GridCore
import Postgres

/// A rectification order: a notice to an agency or a community, a deadline, its response, the
/// street's verification, and escalation when the deadline passes unanswered.
public struct Rectification: Sendable, Codable {
    public struct Change: Sendable, Codable {
        public let change: String
        public let detail: String?
        public let actor: String
        public let at: Date
    }

    public let id: UUID
    public let streetCode: String
    public let targetKind: String
    public let targetCode: String
    public let notice: String
    public let deadline: String
    public let state: String
    public let response: String?
    public let escalated: Bool
    public let history: [Change]
}

public struct Rectifications: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone

    public struct Order: Sendable, Codable {
        public let id: UUID
        public let targetKind: String
        public let targetCode: String
        public let notice: String
        public let deadline: CalendarDate
        public let meetingId: UUID?
    }

    struct Issued: Codable {
        let rectificationId: UUID
        let streetCode: String
        let targetKind: String
        let targetCode: String
        let deadline: CalendarDate
    }

    /// Issues an order (idempotent by id).
    public func issue(_ order: Order, street: String, by principal: Principal) async throws -> Rectification {
        try MeetingStore.check(principal, street: street, arranging: true)
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        try await pool.transaction { connection in
            try MeetingStore.ensureCommittee(street, at: now, on: connection)
            let targetExists =
                order.targetKind == "agency"
                ? try connection.query("SELECT 1 FROM geo.agencies WHERE code = $1 AND street_code = $2", [order.targetCode, street]).count == 1
                : try connection.query("SELECT 1 FROM geo.communities WHERE code = $1 AND street_code = $2", [order.targetCode, street]).count == 1
            guard targetExists else { throw Problem.validation([.init(field: "target_code", message: "is not an \(order.targetKind) of this street")]) }
            guard order.deadline >= today else { throw Problem.validation([.init(field: "deadline", message: "must be today or later")]) }
            let inserted = try connection.execute(
                """
                INSERT INTO meeting.rectifications (id, street_code, meeting_id, target_kind, target_code, notice, deadline, issued_by, issued_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING
                """, [order.id, street, order.meetingId, order.targetKind, order.targetCode, order.notice, order.deadline, principal.subject, now])
            guard inserted == 1 else { return }
            try Self.record(order.id, "issue", nil, principal.subject, now, on: connection)
            try bus.publish(
                "rectification.issued",
                Issued(rectificationId: order.id, streetCode: street, targetKind: order.targetKind, targetCode: order.targetCode, deadline: order.deadline),
                at: now, on: connection)
        }
        return try await read(order.id, for: principal)
    }

    static func record(_ id: UUID, _ change: String, _ detail: String?, _ actor: String, _ at: Date, on connection: PostgresConnection) throws {
        try connection.execute(
            "INSERT INTO meeting.rectification_changes (rectification_id, change, detail, actor, at) VALUES ($1, $2, $3, $4, $5)",
            [id, change, detail, actor, at])
    }

    /// The target responds; the street verifies the response or rejects it (with a reason) back to issued.
    public func change(_ id: UUID, change: String, text: String?, by principal: Principal) async throws -> Rectification {
        let now = clock.now()
        try await pool.transaction { connection in
            guard
                let row = try connection.query(
                    "SELECT street_code, target_kind, target_code, state FROM meeting.rectifications WHERE id = $1 FOR UPDATE", [id]
                ).first
            else { throw Problem.notFound("no such rectification order") }
            let street: String = try row.decode(at: 0)
            let kind: String = try row.decode(at: 1)
            let target: String = try row.decode(at: 2)
            let state: String = try row.decode(at: 3)
            let isTarget =
                (kind == "agency" && principal.role == .agencyHead && principal.agency == target)
                || (kind == "community" && principal.role == .communityStaff && principal.scope == Scope(level: .community, code: target))
            let arranging = (principal.role == .streetOfficer && principal.scope == Scope(level: .street, code: street)) || principal.role == .commandCentre
            guard isTarget || arranging || (principal.role == .agencyHead && principal.scope == Scope(level: .street, code: street)) else {
                throw Problem.notFound("no such rectification order")
            }
            let text = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            switch change {
            case "respond":
                guard isTarget else { throw Problem.forbidden("the order's target responds to it") }
                guard state == "issued" else { throw Problem.conflict("illegal-transition", "an order that is \(state) takes no response") }
                guard let text, !text.isEmpty, text.count <= 2000 else {
                    throw Problem.validation([.init(field: "text", message: "the response, 1 to 2000 characters")])
                }
                try connection.execute("UPDATE meeting.rectifications SET state = 'responded', response = $2, updated_at = $3 WHERE id = $1", [id, text, now])
            case "verify", "reject":
                guard arranging else { throw Problem.forbidden("the street verifies rectification") }
                guard state == "responded" else { throw Problem.conflict("illegal-transition", "only a responded order can be verified or rejected") }
                if change == "reject" {
                    guard let text, !text.isEmpty else { throw Problem.validation([.init(field: "text", message: "a reason is required to reject")]) }
                }
                try connection.execute(
                    "UPDATE meeting.rectifications SET state = $2, updated_at = $3 WHERE id = $1", [id, change == "verify" ? "verified" : "issued", now])
            default:
                throw Problem.validation([.init(field: "change", message: "must be respond, verify or reject")])
            }
            try Self.record(id, change, text, principal.subject, now, on: connection)
        }
        return try await read(id, for: principal)
    }

    public func read(_ id: UUID, for principal: Principal) async throws -> Rectification {
        try await pool.withConnection { connection in
            guard
                let row = try connection.query(
                    """
                    SELECT id, street_code, target_kind, target_code, notice, deadline, state, response, escalated_at IS NOT NULL
                    FROM meeting.rectifications WHERE id = $1
                    """, [id]
                ).first
            else { throw Problem.notFound("no such rectification order") }
            let street: String = try row.decode(at: 1)
            let kind: String = try row.decode(at: 2)
            let target: String = try row.decode(at: 3)
            let visibleAsTarget = kind == "community" && principal.role == .communityStaff && principal.scope == Scope(level: .community, code: target)
            if !visibleAsTarget { try MeetingStore.check(principal, street: street, arranging: false, otherwise: "no such rectification order") }
            let history = try connection.query(
                "SELECT change, detail, actor, at FROM meeting.rectification_changes WHERE rectification_id = $1 ORDER BY id", [id]
            ).map {
                Rectification.Change(
                    change: try $0.decode(at: 0), detail: try $0.decode(String?.self, at: 1), actor: try $0.decode(at: 2), at: try $0.decode(at: 3))
            }
            return Rectification(
                id: try row.decode(at: 0), streetCode: street, targetKind: kind, targetCode: target, notice: try row.decode(at: 4),
                deadline: try row.decode(CalendarDate.self, at: 5).description, state: try row.decode(at: 6), response: try row.decode(String?.self, at: 7),
                escalated: try row.decode(at: 8), history: history)
        }
    }

    /// An order as a street's list shows it: without its history.
    public struct Summary: Sendable, Codable {
        public let id: UUID
        public let targetKind: String
        public let targetCode: String
        public let notice: String
        public let deadline: String
        public let state: String
        public let escalated: Bool
    }

    /// A street's orders, the escalated and the nearest deadlines first; `state` narrows them
    /// (issued, responded, verified). Community staff see the orders to their own community only.
    /// At most 500.
    public func list(street: String, state: String?, for principal: Principal) async throws -> [Summary] {
        let community = principal.role == .communityStaff && principal.scope.level == .community ? principal.scope.code : nil
        if community == nil { try MeetingStore.check(principal, street: street, arranging: false) }
        return try await pool.withConnection { connection in
            // community staff read the orders of their own street only, as everyone else
            if let community, try connection.query("SELECT 1 FROM geo.communities WHERE code = $1 AND street_code = $2", [community, street]).count == 0 {
                throw Problem.notFound("no committee of yours in street \(street)")
            }
            return try connection.query(
                """
                SELECT r.id, r.target_kind, r.target_code, r.notice, r.deadline, r.state, r.escalated_at IS NOT NULL FROM meeting.rectifications r
                WHERE r.street_code = $1 AND ($2::text IS NULL OR r.state = $2)
                  AND ($3::text IS NULL OR (r.target_kind = 'community' AND r.target_code = $3))
                ORDER BY r.state = 'verified', r.escalated_at IS NULL, r.deadline, r.id LIMIT 500
                """, [street, state, community]
            ).map { row in
                Summary(
                    id: try row.decode(at: 0), targetKind: try row.decode(at: 1), targetCode: try row.decode(at: 2), notice: try row.decode(at: 3),
                    deadline: try row.decode(CalendarDate.self, at: 4).description, state: try row.decode(at: 5), escalated: try row.decode(at: 6))
            }
        }
    }

    /// Escalates orders still unanswered after their deadline, once each (`rectification.overdue`).
    @discardableResult
    func escalate() async throws -> Int {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        return try await pool.transaction { connection in
            let rows = try connection.query(
                """
                WITH due AS (SELECT id FROM meeting.rectifications WHERE state = 'issued' AND escalated_at IS NULL AND deadline < $1 FOR UPDATE SKIP LOCKED)
                UPDATE meeting.rectifications r SET escalated_at = $2, updated_at = $2 FROM due WHERE r.id = due.id
                RETURNING r.id, r.street_code, r.target_kind, r.target_code, r.deadline
                """, [today, now])
            for row in rows {
                let event = Issued(
                    rectificationId: try row.decode(at: 0), streetCode: try row.decode(at: 1), targetKind: try row.decode(at: 2),
                    targetCode: try row.decode(at: 3), deadline: try row.decode(at: 4))
                try Self.record(event.rectificationId, "escalate", "unanswered after \(event.deadline)", "meetingd", now, on: connection)
                try bus.publish("rectification.overdue", event, at: now, on: connection)
            }
            return rows.count
        }
    }
}

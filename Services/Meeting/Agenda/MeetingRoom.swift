import Daemon
import EventBus
import Foundation
import GridCore
import Postgres

/// One line of an agenda.
public struct AgendaItem: Sendable, Codable, Equatable {
    public let position: Int
    public let kind: String
    public let ref: String?
    public let severity: Int
    public let title: String
    public let addedBy: String?
}

/// An outcome recorded against the agenda.
public struct Outcome: Sendable, Codable, Equatable {
    public let id: UUID
    public let agendaPosition: Int?
    public let kind: String
    public let text: String
    public let ownerAgency: String?
    public let deadline: String?
    public let findingIds: [UUID]?
}

/// The minutes: who came, what was on the agenda, what was decided.
public struct Minutes: Sendable, Codable {
    public let meeting: Meeting
    public let quorum: Int
    public let present: [String]
    public let absent: [String]
    public let agenda: [AgendaItem]
    public let agendaFrozen: Bool
    public let outcomes: [Outcome]
}

/// What happens in the room: the agenda built from the mesh's events, attendance and quorum,
/// outcomes, and the close that freezes the minutes.
extension MeetingStore {
    /// The agenda: frozen once the meeting started; before, built live from the street's open
    /// candidates (hotspots, overdue findings), its overdue action items and members' items,
    /// most severe first, then in the order they arose (an overdue item from the day after its
    /// deadline, whenever the sweep noticed it).
    static func agenda(for meeting: Meeting, today: CalendarDate, on connection: PostgresConnection) throws -> (items: [AgendaItem], frozen: Bool) {
        if meeting.state != "scheduled" {
            let items = try connection.query(
                "SELECT position, kind, ref, severity, title, added_by FROM meeting.agenda_items WHERE meeting_id = $1 ORDER BY position", [meeting.id]
            ).map { row in
                AgendaItem(
                    position: try row.decode(at: 0), kind: try row.decode(at: 1), ref: try row.decode(String?.self, at: 2), severity: try row.decode(at: 3),
                    title: try row.decode(at: 4), addedBy: try row.decode(String?.self, at: 5))
            }
            return (items, true)
        }
        let rows = try connection.query(
            """
            SELECT kind, ref, severity, title, added_by FROM (
                SELECT kind, ref, severity, title, NULL::text AS added_by, raised_at AS at FROM meeting.agenda_candidates
                WHERE street_code = $1 AND taken_by IS NULL
                UNION ALL
                SELECT 'overdue_action_item', a.id::text, 4, '逾期事项：' || coalesce(g.name_zh, a.owner_agency) || ' ' || a.title || '（期限 ' || a.deadline || '）',
                       NULL, (a.deadline + 1)::timestamptz
                FROM meeting.action_items a LEFT JOIN geo.agencies g ON g.code = a.owner_agency
                WHERE a.street_code = $1 AND a.state IN ('open', 'reopened') AND a.deadline < $3
                UNION ALL
                SELECT 'overdue_rectification', r.id::text, 4,
                       '逾期未整改：' || coalesce(g.name_zh, c.name_zh, r.target_code) || ' ' || r.notice || '（期限 ' || r.deadline || '）', NULL,
                       (r.deadline + 1)::timestamptz
                FROM meeting.rectifications r
                LEFT JOIN geo.agencies g ON r.target_kind = 'agency' AND g.code = r.target_code
                LEFT JOIN geo.communities c ON r.target_kind = 'community' AND c.code = r.target_code
                WHERE r.street_code = $1 AND r.state = 'issued' AND r.deadline < $3
                UNION ALL
                SELECT 'member_item', NULL, severity, title, added_by, added_at FROM meeting.proposed_items WHERE meeting_id = $2
            ) items ORDER BY severity DESC, at, title
            """, [meeting.streetCode, meeting.id, today])
        let items = try rows.enumerated().map { index, row in
            AgendaItem(
                position: index + 1, kind: try row.decode(at: 0), ref: try row.decode(String?.self, at: 1), severity: try row.decode(at: 2),
                title: try row.decode(at: 3), addedBy: try row.decode(String?.self, at: 4))
        }
        return (items, false)
    }

    func lockMeeting(_ id: UUID, on connection: PostgresConnection) throws -> Meeting {
        guard let meeting = try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE id = $1 FOR UPDATE", [id]).first.map(Meeting.init(row:))
        else {
            throw Problem.notFound("no such meeting")
        }
        return meeting
    }

    public func minutes(_ id: UUID, for principal: Principal) async throws -> Minutes {
        let today = WorkingCalendar(timeZone: timeZone).day(of: clock.now())
        return try await pool.withConnection { connection in
            guard let meeting = try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE id = $1", [id]).first.map(Meeting.init(row:)) else {
                throw Problem.notFound("no such meeting")
            }
            try Self.check(principal, street: meeting.streetCode, arranging: false, otherwise: "no such meeting")
            return try Self.minutes(meeting, today: today, on: connection)
        }
    }

    static func minutes(_ meeting: Meeting, today: CalendarDate, on connection: PostgresConnection) throws -> Minutes {
        let (agenda, frozen) = try agenda(for: meeting, today: today, on: connection)
        var present: [String] = []
        var absent: [String] = []
        for row in try connection.query("SELECT agency_code, present FROM meeting.attendance WHERE meeting_id = $1 ORDER BY agency_code", [meeting.id]) {
            if try row.decode(Bool.self, at: 1) { present.append(try row.decode(at: 0)) } else { absent.append(try row.decode(at: 0)) }
        }
        let quorum =
            try connection.query("SELECT quorum FROM meeting.committees WHERE street_code = $1", [meeting.streetCode]).first?.decode(Int.self, at: 0) ?? 4
        let outcomes = try connection.query(
            """
            SELECT o.id, o.agenda_position, o.kind, o.text, a.owner_agency, a.deadline, a.finding_ids
            FROM meeting.outcomes o LEFT JOIN meeting.action_items a ON a.id = o.id WHERE o.meeting_id = $1 ORDER BY o.recorded_at, o.id
            """, [meeting.id]
        ).map { row in
            Outcome(
                id: try row.decode(at: 0), agendaPosition: try row.decode(Int?.self, at: 1), kind: try row.decode(at: 2), text: try row.decode(at: 3),
                ownerAgency: try row.decode(String?.self, at: 4), deadline: try row.decode(CalendarDate?.self, at: 5)?.description,
                findingIds: try row.decode([UUID]?.self, at: 6))
        }
        return Minutes(meeting: meeting, quorum: quorum, present: present, absent: absent, agenda: agenda, agendaFrozen: frozen, outcomes: outcomes)
    }

    /// A member adds an item before the meeting starts.
    public func propose(_ id: UUID, title: String, severity: Int, by principal: Principal) async throws -> Minutes {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        return try await pool.transaction { connection in
            let meeting = try lockMeeting(id, on: connection)
            try Self.check(principal, street: meeting.streetCode, arranging: false, otherwise: "no such meeting")
            guard meeting.state == "scheduled" else { throw Problem.conflict("agenda-frozen", "the agenda froze when the meeting started") }
            try connection.execute(
                "INSERT INTO meeting.proposed_items (meeting_id, title, severity, added_by, added_at) VALUES ($1, $2, $3, $4, $5)",
                [id, title, severity, principal.subject, now])
            return try Self.minutes(meeting, today: today, on: connection)
        }
    }

    /// Opens the meeting: attendance is recorded, the agenda frozen, its candidates taken.
    public func start(_ id: UUID, present: Set<String>, by principal: Principal) async throws -> Minutes {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        return try await pool.transaction { connection in
            let meeting = try lockMeeting(id, on: connection)
            try Self.check(principal, street: meeting.streetCode, arranging: true, otherwise: "no such meeting")
            guard meeting.state == "scheduled" else { throw Problem.conflict("not-scheduled", "the meeting is \(meeting.state)") }
            let agencies = try connection.query("SELECT code FROM geo.agencies WHERE street_code = $1 ORDER BY code", [meeting.streetCode]).map {
                try $0.decode(String.self, at: 0)
            }
            let unknown = present.subtracting(agencies)
            guard unknown.isEmpty else {
                throw Problem.validation([.init(field: "present", message: "not agencies of this street: \(unknown.sorted().joined(separator: ", "))")])
            }
            let (items, _) = try Self.agenda(for: meeting, today: today, on: connection)
            for item in items {
                try connection.execute(
                    "INSERT INTO meeting.agenda_items (meeting_id, position, kind, ref, severity, title, added_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    [id, item.position, item.kind, item.ref, item.severity, item.title, item.addedBy])
            }
            try connection.execute(
                "UPDATE meeting.agenda_candidates SET taken_by = $2 WHERE street_code = $1 AND taken_by IS NULL", [meeting.streetCode, id])
            for agency in agencies {
                try connection.execute(
                    """
                    INSERT INTO meeting.attendance (meeting_id, agency_code, subject, present)
                    VALUES ($1, $2, (SELECT subject FROM meeting.members WHERE agency_code = $2 AND until IS NULL), $3)
                    """, [id, agency, present.contains(agency)])
            }
            try connection.execute("UPDATE meeting.meetings SET state = 'in_progress', updated_at = $2 WHERE id = $1", [id, now])
            return try Self.minutes(try lockMeeting(id, on: connection), today: today, on: connection)
        }
    }

    public struct NewOutcome: Sendable, Codable {
        public let id: UUID
        public let agendaPosition: Int?
        public let kind: String
        public let text: String
        public let ownerAgency: String?
        public let deadline: CalendarDate?
        public let findingIds: [UUID]?
    }

    struct Assigned: Codable {
        let actionItemId: UUID
        let meetingId: UUID
        let streetCode: String
        let ownerAgency: String
        let deadline: CalendarDate
        let findingIds: [UUID]
    }

    /// Records an outcome while the meeting is in progress; decisions and action items need quorum.
    public func record(_ outcome: NewOutcome, in id: UUID, by principal: Principal) async throws -> Minutes {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        return try await pool.transaction { connection in
            let meeting = try lockMeeting(id, on: connection)
            try Self.check(principal, street: meeting.streetCode, arranging: true, otherwise: "no such meeting")
            guard meeting.state == "in_progress" else {
                throw Problem.conflict(
                    meeting.state == "closed" ? "minutes-frozen" : "not-in-progress", "outcomes are recorded while the meeting is in progress")
            }
            let minutes = try Self.minutes(meeting, today: today, on: connection)
            if outcome.kind != "information" && minutes.present.count < minutes.quorum {
                throw Problem.conflict("no-quorum", "\(minutes.present.count) of 5 heads present; decisions need \(minutes.quorum)")
            }
            if let position = outcome.agendaPosition, !minutes.agenda.contains(where: { $0.position == position }) {
                throw Problem.validation([.init(field: "agenda_position", message: "is not on the agenda")])
            }
            try connection.execute(
                "INSERT INTO meeting.outcomes (id, meeting_id, agenda_position, kind, text, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                [outcome.id, id, outcome.agendaPosition, outcome.kind, outcome.text, principal.subject, now])
            if outcome.kind == "action_item" {
                guard let owner = outcome.ownerAgency,
                    try connection.query("SELECT 1 FROM geo.agencies WHERE code = $1 AND street_code = $2", [owner, meeting.streetCode]).count == 1
                else { throw Problem.validation([.init(field: "owner_agency", message: "must be one of the street's five agencies")]) }
                guard let deadline = outcome.deadline, deadline >= today else {
                    throw Problem.validation([.init(field: "deadline", message: "must be today or later")])
                }
                let findings = Array(Set(outcome.findingIds ?? []))
                guard findings.count <= 50 else { throw Problem.validation([.init(field: "finding_ids", message: "at most 50 findings")]) }
                // only the street's own findings, as patrold announced them: a committee cannot pull
                // another street's finding into its decisions
                let known = try connection.query(
                    "SELECT count(*)::int FROM meeting.finding_intake WHERE finding_id = ANY($1::uuid[]) AND street_code = $2",
                    [UUIDArray(findings), meeting.streetCode]
                ).first!.decode(Int.self, at: 0)
                guard known == findings.count else {
                    throw Problem.validation([.init(field: "finding_ids", message: "must be findings of street \(meeting.streetCode)")])
                }
                try connection.execute(
                    """
                    INSERT INTO meeting.action_items (id, meeting_id, street_code, owner_agency, title, deadline, finding_ids, updated_at, decided_for)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, [outcome.id, id, meeting.streetCode, owner, outcome.text, deadline, UUIDArray(findings), now, principal.onBehalfValue])
                // patrold is asked to dispatch them to the owner (PatrolRequester sends it)
                try connection.execute(
                    """
                    INSERT INTO meeting.linked_findings (action_item_id, finding_id, next_attempt_at, updated_at)
                    SELECT $1, unnest($2::uuid[]), now(), $3 ON CONFLICT DO NOTHING
                    """, [outcome.id, UUIDArray(findings), now])
                try bus.publish(
                    "action_item.assigned",
                    Assigned(
                        actionItemId: outcome.id, meetingId: id, streetCode: meeting.streetCode, ownerAgency: owner, deadline: deadline, findingIds: findings),
                    at: now, on: connection)
            }
            return try Self.minutes(meeting, today: today, on: connection)
        }
    }

    struct Closed: Codable {
        let meetingId: UUID
        let streetCode: String
        let outcomes: Int
        let actionItems: Int
    }

    /// Closes the meeting; from now on its minutes cannot change.
    public func close(_ id: UUID, by principal: Principal) async throws -> Minutes {
        let now = clock.now()
        let today = WorkingCalendar(timeZone: timeZone).day(of: now)
        let bus = bus
        return try await pool.transaction { connection in
            let meeting = try lockMeeting(id, on: connection)
            try Self.check(principal, street: meeting.streetCode, arranging: true, otherwise: "no such meeting")
            guard meeting.state == "in_progress" else { throw Problem.conflict("not-in-progress", "only a meeting in progress can be closed") }
            try connection.execute("UPDATE meeting.meetings SET state = 'closed', updated_at = $2 WHERE id = $1", [id, now])
            let minutes = try Self.minutes(try lockMeeting(id, on: connection), today: today, on: connection)
            try bus.publish(
                "meeting.closed",
                Closed(
                    meetingId: id, streetCode: meeting.streetCode, outcomes: minutes.outcomes.count,
                    actionItems: minutes.outcomes.filter { $0.kind == "action_item" }.count),
                at: now, on: connection)
            return minutes
        }
    }
}

import Daemon
import EventBus
import Foundation
import GridCore
import Postgres

/// Committees, their members, recurring series and meetings.
public struct MeetingStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone
    /// How far ahead a series' occurrences exist as meetings: to the end of the local day eight
    /// weeks from now, so a weekly series always has eight meetings ahead, whatever the hour.
    static func horizon(from now: Date, timeZone: TimeZone) -> Date {
        let calendar = WorkingCalendar(timeZone: timeZone)
        return calendar.endOfDay(calendar.day(of: now).adding(days: 8 * 7))
    }

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock, timeZone: TimeZone) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.timeZone = timeZone
    }

    /// Street officers of the street and the command centre arrange meetings; the street's agency heads see them.
    /// `otherwise` is what a caller who may not see it is told about a record looked up by id: the
    /// same words as for one that does not exist, never the street it belongs to.
    static func check(_ principal: Principal, street: String, arranging: Bool, otherwise: String? = nil) throws {
        let inStreet = principal.scope.level == .district || (principal.scope.level == .street && principal.scope.code == street)
        let roles: Set<Role> = arranging ? [.streetOfficer, .commandCentre] : [.streetOfficer, .commandCentre, .agencyHead]
        guard inStreet, roles.contains(principal.role) else { throw Problem.notFound(otherwise ?? "no committee of yours in street \(street)") }
    }

    static func ensureCommittee(_ street: String, at now: Date, on connection: PostgresConnection) throws {
        guard try connection.query("SELECT 1 FROM geo.streets WHERE code = $1", [street]).count == 1 else {
            throw Problem.notFound("no street \(street)")
        }
        try connection.execute(
            "INSERT INTO meeting.committees (street_code, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING", [street, now])
    }

    struct Scheduled: Codable {
        let meetingId: UUID
        let streetCode: String
        let startsAt: Date
        let endsAt: Date
    }

    static func insertMeeting(
        id: UUID, street: String, series: UUID?, occurrence: Date?, title: String, start: Date, minutes: Int, location: String?, now: Date,
        bus: EventBus, on connection: PostgresConnection
    ) throws -> Bool {
        let end = start.addingTimeInterval(Double(minutes) * 60)
        let inserted = try connection.execute(
            """
            INSERT INTO meeting.meetings (id, street_code, series_id, occurrence_start, title, starts_at, ends_at, location, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING
            """, [id, street, series, occurrence, title, start, end, location, now])
        if inserted == 1 {
            try bus.publish("meeting.scheduled", Scheduled(meetingId: id, streetCode: street, startsAt: start, endsAt: end), at: now, on: connection)
        }
        return inserted == 1
    }

    /// Creates the series' meetings from where it was generated to the horizon.
    static func extend(series id: UUID, until horizon: Date, now: Date, timeZone: TimeZone, bus: EventBus, on connection: PostgresConnection) throws {
        guard
            let row = try connection.query(
                "SELECT street_code, title, rrule, first_start, duration_minutes, location, generated_until FROM meeting.series WHERE id = $1 FOR UPDATE", [id]
            ).first
        else { return }
        let generatedUntil: Date = try row.decode(at: 6)
        guard horizon > generatedUntil else { return }
        let rule = try Recurrence(try row.decode(String.self, at: 2))
        let first: Date = try row.decode(at: 3)
        for start in rule.occurrences(from: first, before: horizon, timeZone: timeZone) where start >= generatedUntil {
            _ = try insertMeeting(
                id: .v7(at: start), street: try row.decode(at: 0), series: id, occurrence: start, title: try row.decode(at: 1), start: start,
                minutes: try row.decode(at: 4), location: try row.decode(String?.self, at: 5), now: now, bus: bus, on: connection)
        }
        try connection.execute("UPDATE meeting.series SET generated_until = $2 WHERE id = $1", [id, horizon])
    }

    public struct NewSeries: Sendable, Codable {
        public let id: UUID
        public let title: String
        public let rrule: String
        public let firstStart: Date
        public let durationMinutes: Int
        public let location: String?
    }

    /// A recurring series; its meetings for the coming weeks are created with it.
    public func createSeries(_ new: NewSeries, street: String, by principal: Principal) async throws -> [Meeting] {
        try Self.check(principal, street: street, arranging: true)
        do { _ = try Recurrence(new.rrule) } catch { throw Problem.validation([.init(field: "rrule", message: error.description)]) }
        let now = clock.now()
        let (bus, timeZone) = (bus, timeZone)
        return try await pool.transaction { connection in
            try Self.ensureCommittee(street, at: now, on: connection)
            let inserted = try connection.execute(
                """
                INSERT INTO meeting.series (id, street_code, title, rrule, first_start, duration_minutes, location, created_by, created_at, generated_until)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $5) ON CONFLICT DO NOTHING
                """, [new.id, street, new.title, new.rrule, new.firstStart, new.durationMinutes, new.location, principal.subject, now])
            if inserted == 1 {
                try Self.extend(series: new.id, until: Self.horizon(from: now, timeZone: timeZone), now: now, timeZone: timeZone, bus: bus, on: connection)
            }
            return try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE series_id = $1 ORDER BY starts_at", [new.id]).map(
                Meeting.init(row:))
        }
    }

    /// An extra meeting outside any series.
    public func scheduleExtra(id: UUID, title: String, start: Date, minutes: Int, location: String?, street: String, by principal: Principal) async throws
        -> Meeting
    {
        try Self.check(principal, street: street, arranging: true)
        let now = clock.now()
        let bus = bus
        return try await pool.transaction { connection in
            try Self.ensureCommittee(street, at: now, on: connection)
            _ = try Self.insertMeeting(
                id: id, street: street, series: nil, occurrence: nil, title: title, start: start, minutes: minutes, location: location, now: now, bus: bus,
                on: connection)
            return try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE id = $1", [id]).first.map(Meeting.init(row:))!
        }
    }

    /// Cancels or moves one scheduled meeting, with a reason.
    public func change(_ id: UUID, cancel: Bool, newStart: Date?, reason: String, by principal: Principal) async throws -> Meeting {
        let now = clock.now()
        return try await pool.transaction { connection in
            guard
                let meeting = try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE id = $1 FOR UPDATE", [id]).first.map(
                    Meeting.init(row:))
            else {
                throw Problem.notFound("no such meeting")
            }
            try Self.check(principal, street: meeting.streetCode, arranging: true, otherwise: "no such meeting")
            guard meeting.state == "scheduled" else { throw Problem.conflict("not-scheduled", "only a scheduled meeting can be cancelled or moved") }
            if cancel {
                try connection.execute(
                    "UPDATE meeting.meetings SET state = 'cancelled', note = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1", [id, reason, now])
            } else if let newStart {
                let length = meeting.endsAt.timeIntervalSince(meeting.startsAt)
                try connection.execute(
                    "UPDATE meeting.meetings SET starts_at = $2, ends_at = $3, note = $4, sequence = sequence + 1, updated_at = $5 WHERE id = $1",
                    [id, newStart, newStart.addingTimeInterval(length), reason, now])
            }
            return try connection.query("SELECT \(Meeting.columns) FROM meeting.meetings WHERE id = $1", [id]).first.map(Meeting.init(row:))!
        }
    }

    public func meetings(street: String, from: Date, to: Date, for principal: Principal) async throws -> [Meeting] {
        try Self.check(principal, street: street, arranging: false)
        return try await pool.withConnection { connection in
            try connection.query(
                "SELECT \(Meeting.columns) FROM meeting.meetings WHERE street_code = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at",
                [street, from, to]
            ).map(Meeting.init(row:))
        }
    }

    /// The meetings of every street the member sits on a committee for (current membership).
    public func meetings(member subject: String, from: Date, to: Date) async throws -> [Meeting] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(Meeting.columns) FROM meeting.meetings
                WHERE street_code IN (SELECT street_code FROM meeting.members WHERE subject = $1 AND until IS NULL)
                  AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at
                """, [subject, from, to]
            ).map(Meeting.init(row:))
        }
    }

    /// Makes `subject` the head of `agency` on the street's committee from `since`; the previous
    /// head's membership ends the day before. History is kept.
    public func appoint(agency: String, subject: String, displayName: String, since: CalendarDate, street: String, by principal: Principal) async throws
        -> [Member]
    {
        try Self.check(principal, street: street, arranging: true)
        let now = clock.now()
        return try await pool.transaction { connection in
            try Self.ensureCommittee(street, at: now, on: connection)
            guard try connection.query("SELECT 1 FROM geo.agencies WHERE code = $1 AND street_code = $2", [agency, street]).count == 1 else {
                throw Problem.validation([.init(field: "agency_code", message: "is not one of the street's five agencies")])
            }
            if let current = try connection.query(
                "SELECT since FROM meeting.members WHERE street_code = $1 AND agency_code = $2 AND until IS NULL FOR UPDATE", [street, agency]
            ).first {
                guard try current.decode(CalendarDate.self, at: 0) < since else {
                    throw Problem.validation([.init(field: "since", message: "must be after the current head's start")])
                }
                try connection.execute(
                    "UPDATE meeting.members SET until = $3 WHERE street_code = $1 AND agency_code = $2 AND until IS NULL",
                    [street, agency, since.adding(days: -1)])
            }
            try connection.execute(
                "INSERT INTO meeting.members (street_code, agency_code, subject, display_name, since) VALUES ($1, $2, $3, $4, $5)",
                [street, agency, subject, displayName, since])
            return try Self.members(street: street, on: connection)
        }
    }

    public func setQuorum(_ quorum: Int, street: String, by principal: Principal) async throws {
        try Self.check(principal, street: street, arranging: true)
        let now = clock.now()
        try await pool.transaction { connection in
            try Self.ensureCommittee(street, at: now, on: connection)
            try connection.execute("UPDATE meeting.committees SET quorum = $2 WHERE street_code = $1", [street, quorum])
        }
    }

    public func members(street: String, for principal: Principal) async throws -> [Member] {
        try Self.check(principal, street: street, arranging: false)
        return try await pool.withConnection { try Self.members(street: street, on: $0) }
    }

    /// The committee of a street: its quorum (4 until one is set) and its agencies with today's heads.
    public func committee(street: String, for principal: Principal) async throws -> Committee {
        try Self.check(principal, street: street, arranging: false)
        let today = WorkingCalendar(timeZone: timeZone).day(of: clock.now())
        return try await pool.withConnection { connection in
            guard
                let row = try connection.query(
                    "SELECT s.name_zh, coalesce(c.quorum, 4) FROM geo.streets s LEFT JOIN meeting.committees c ON c.street_code = s.code WHERE s.code = $1",
                    [street]
                ).first
            else { throw Problem.notFound("no street \(street)") }
            let heads = Dictionary(
                try Self.members(street: street, on: connection).filter { $0.since <= "\(today)" && ($0.until ?? "\(today)") >= "\(today)" }
                    .map { ($0.agencyCode, $0) },
                uniquingKeysWith: { _, later in later })
            let seats = try connection.query("SELECT code, kind, name_zh FROM geo.agencies WHERE street_code = $1 ORDER BY code", [street]).map { row in
                let code: String = try row.decode(at: 0)
                return Committee.Seat(agencyCode: code, kind: try row.decode(at: 1), name: try row.decode(at: 2), head: heads[code])
            }
            return Committee(streetCode: street, streetName: try row.decode(at: 0), quorum: try row.decode(at: 1), agencies: seats)
        }
    }

    static func members(street: String, on connection: PostgresConnection) throws -> [Member] {
        try connection.query(
            "SELECT agency_code, subject, display_name, since, until FROM meeting.members WHERE street_code = $1 ORDER BY agency_code, since", [street]
        ).map { row in
            Member(
                agencyCode: try row.decode(at: 0), subject: try row.decode(at: 1), displayName: try row.decode(at: 2),
                since: try row.decode(CalendarDate.self, at: 3).description, until: try row.decode(CalendarDate?.self, at: 4)?.description)
        }
    }
}

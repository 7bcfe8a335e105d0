import Daemon
import Foundation
import GridCore
import Hummingbird

/// Committees, series, meetings and calendar feeds of a street.
enum ScheduleRoutes {
    struct Extra: Decodable {
        let id: UUID
        let title: String
        let startsAt: Date
        let durationMinutes: Int
        let location: String?
    }

    struct Change: Decodable {
        let action: String
        let startsAt: Date?
        let reason: String
    }

    struct Appointment: Decodable {
        let agencyCode: String
        let subject: String
        let displayName: String
        let since: CalendarDate
    }

    static let meetingSchema = Schema.object([
        ("id", Schema.uuid), ("street_code", Schema.string()), ("series_id", Schema.uuid), ("title", Schema.string()), ("starts_at", Schema.dateTime),
        ("ends_at", Schema.dateTime), ("location", Schema.string()), ("state", Schema.string(enum: ["scheduled", "in_progress", "closed", "cancelled"])),
        ("note", Schema.string()), ("sequence", Schema.integer()), ("updated_at", Schema.dateTime),
    ])

    static func register(on routes: APIRoutes, store: MeetingStore) {
        routes.add(
            APIOperation(
                .post, "/v1/streets/{street}/series", id: "createSeries",
                summary: "A recurring meeting series (RRULE subset); its next eight weeks are created",
                tag: "meetings", access: .roles(.streetOfficer, .commandCentre), parameters: [.path("street")],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("title", Schema.string(maxLength: 200)),
                        ("rrule", Schema.string("FREQ=WEEKLY or MONTHLY; INTERVAL; BYDAY (e.g. TH, or 2TH / -1FR monthly); COUNT or UNTIL")),
                        ("first_start", Schema.dateTime), ("duration_minutes", Schema.integer(minimum: 15, maximum: 480)),
                        ("location", Schema.string(maxLength: 200)),
                    ], required: ["id", "title", "rrule", "first_start", "duration_minutes"]),
                replies: [.init(201, "The series' meetings", Schema.array(meetingSchema))])
        ) { request, context in
            let principal = try context.authenticated()
            let series = try await APICoding.decode(MeetingStore.NewSeries.self, from: request, context: context)
            try validate(title: series.title, minutes: series.durationMinutes, location: series.location)
            let meetings = try await store.createSeries(series, street: try context.parameters.require("street"), by: principal)
            return try APICoding.response(.created, meetings)
        }

        routes.add(
            APIOperation(
                .post, "/v1/streets/{street}/meetings", id: "scheduleExtraMeeting", summary: "An extra meeting outside the series", tag: "meetings",
                access: .roles(.streetOfficer, .commandCentre), parameters: [.path("street")],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("title", Schema.string()), ("starts_at", Schema.dateTime), ("duration_minutes", Schema.integer()),
                        ("location", Schema.string()),
                    ],
                    required: ["id", "title", "starts_at", "duration_minutes"]),
                replies: [.init(201, "Scheduled", meetingSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let extra = try await APICoding.decode(Extra.self, from: request, context: context)
            try validate(title: extra.title, minutes: extra.durationMinutes, location: extra.location)
            let meeting = try await store.scheduleExtra(
                id: extra.id, title: extra.title, start: extra.startsAt, minutes: extra.durationMinutes, location: extra.location,
                street: try context.parameters.require("street"), by: principal)
            return try APICoding.response(.created, meeting)
        }

        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/meetings", id: "listMeetings", summary: "The street's meetings in a period (default: the next eight weeks)",
                tag: "meetings", access: .roles(.streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("street"), .query("from", Schema.dateTime), .query("to", Schema.dateTime)],
                replies: [.init(200, "Meetings", Schema.array(meetingSchema))])
        ) { request, context in
            let principal = try context.authenticated()
            let (from, to) = try period(request, now: store.clock.now(), timeZone: store.timeZone)
            return try APICoding.response(.ok, try await store.meetings(street: try context.parameters.require("street"), from: from, to: to, for: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/meetings/{id}/changes", id: "changeMeeting", summary: "Cancel or move one scheduled meeting, with a reason", tag: "meetings",
                access: .roles(.streetOfficer, .commandCentre), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("action", Schema.string(enum: ["cancel", "move"])), ("starts_at", Schema.dateTime), ("reason", Schema.string(maxLength: 500))],
                    required: ["action", "reason"]),
                replies: [.init(200, "The meeting", meetingSchema), .init(409, "Not scheduled any more")])
        ) { request, context in
            let principal = try context.authenticated()
            let change = try await APICoding.decode(Change.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if change.reason.trimmingCharacters(in: .whitespaces).isEmpty || change.reason.length > 500 {
                errors.append(.init(field: "reason", message: "must be 1 to 500 characters"))
            }
            if change.action != "cancel" && change.action != "move" { errors.append(.init(field: "action", message: "must be cancel or move")) }
            if change.action == "move" && change.startsAt == nil { errors.append(.init(field: "starts_at", message: "is required to move")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let meeting = try await store.change(
                try context.uuid("id"), cancel: change.action == "cancel", newStart: change.startsAt, reason: change.reason, by: principal)
            return try APICoding.response(.ok, meeting)
        }

        routes.add(
            APIOperation(
                .put, "/v1/streets/{street}/members", id: "appointMember", summary: "Appoint an agency's head to the committee from a date (history kept)",
                tag: "committees", access: .roles(.streetOfficer, .commandCentre), parameters: [.path("street")],
                body: Schema.object(
                    [
                        ("agency_code", Schema.string()), ("subject", Schema.string()), ("display_name", Schema.string()),
                        ("since", Schema.string(format: "date")),
                    ],
                    required: ["agency_code", "subject", "display_name", "since"]),
                replies: [.init(200, "The committee's membership, past and present", Schema.array(["type": "object"]))])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Appointment.self, from: request, context: context)
            guard body.subject.range(of: "^[a-z0-9._-]{1,64}$", options: .regularExpression) != nil, (1...100).contains(body.displayName.length) else {
                throw Problem.validation([.init(field: "subject", message: "must be an account id; display_name 1 to 100 characters")])
            }
            let members = try await store.appoint(
                agency: body.agencyCode, subject: body.subject, displayName: body.displayName, since: body.since,
                street: try context.parameters.require("street"), by: principal)
            return try APICoding.response(.ok, members)
        }

        routes.add(
            APIOperation(
                .put, "/v1/streets/{street}/committee", id: "setQuorum", summary: "The committee's quorum: heads present for decisions (default 4 of 5)",
                tag: "committees", access: .roles(.streetOfficer, .commandCentre), parameters: [.path("street")],
                body: Schema.object([("quorum", Schema.integer(minimum: 1, maximum: 5))], required: ["quorum"]),
                replies: [.init(204, "Set")])
        ) { request, context in
            struct Body: Decodable { let quorum: Int }
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Body.self, from: request, context: context)
            guard (1...5).contains(body.quorum) else { throw Problem.validation([.init(field: "quorum", message: "must be 1 to 5")]) }
            try await store.setQuorum(body.quorum, street: try context.parameters.require("street"), by: principal)
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/committee", id: "getCommittee",
                summary: "The committee: its quorum and the street's five agencies with their names and today's heads", tag: "committees",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre), parameters: [.path("street")],
                replies: [.init(200, "The committee", ["type": "object"]), .init(404, "No committee of yours in that street")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await store.committee(street: try context.parameters.require("street"), for: principal))
        }

        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/members", id: "listMembers", summary: "The committee's membership, past and present", tag: "committees",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre), parameters: [.path("street")],
                replies: [.init(200, "Members", Schema.array(["type": "object"]))])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await store.members(street: try context.parameters.require("street"), for: principal))
        }
    }

    static func period(_ request: Request, now: Date, timeZone: TimeZone) throws -> (Date, Date) {
        let query = request.uri.queryParameters
        func date(_ name: String) throws -> Date? {
            guard let text = query.get(name) else { return nil }
            guard let date = RFC3339.parse(text) else {
                throw Problem.badRequest("\(name) must be an RFC 3339 time", errors: [.init(field: name, message: "not a time")])
            }
            return date
        }
        let from = try date("from") ?? now.addingTimeInterval(-86400)
        let to = try date("to") ?? MeetingStore.horizon(from: max(from, now), timeZone: timeZone)
        guard from < to, to.timeIntervalSince(from) <= 400 * 86400 else { throw Problem.badRequest("from must be before to, at most 400 days apart") }
        return (from, to)
    }

    static func validate(title: String, minutes: Int, location: String?) throws {
        var errors: [Problem.FieldError] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty || title.length > 200 {
            errors.append(.init(field: "title", message: "must be 1 to 200 characters"))
        }
        if !(15...480).contains(minutes) { errors.append(.init(field: "duration_minutes", message: "must be 15 to 480")) }
        if (location?.length ?? 0) > 200 { errors.append(.init(field: "location", message: "at most 200 characters")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

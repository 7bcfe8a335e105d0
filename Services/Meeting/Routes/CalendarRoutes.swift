import Daemon
import Foundation
import GridCore
import Hummingbird

/// The meetings as iCalendar feeds: with a bearer token for programs that send one, and through a
/// person's feed capabilities for calendar apps, which cannot (`/v1/feeds/{capability}.ics`).
enum CalendarRoutes {
    static let feedSchema = Schema.object([
        ("id", Schema.uuid), ("kind", Schema.string(enum: ["street", "member"])), ("street", Schema.string()), ("label", Schema.string()),
        ("created_at", Schema.dateTime), ("last_read_at", Schema.dateTime),
        ("url", Schema.string("the feed's URL with its capability: shown once, when the feed is made")),
    ])

    static func register(on routes: APIRoutes, store: MeetingStore, feeds: CalendarFeeds, publicURL: String?) {
        let calendar = APIOperation.Reply(200, "iCalendar (RFC 5545)", Schema.string(), contentType: "text/calendar")
        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/calendar.ics", id: "streetCalendar", summary: "The street's meetings as an iCalendar feed",
                tag: "calendars", access: .roles(.streetOfficer, .agencyHead, .commandCentre), parameters: [.path("street")], replies: [calendar])
        ) { _, context in
            try await streetFeed(try context.parameters.require("street"), for: try context.authenticated(), store: store)
        }

        // a committee's members are the street's agency heads; any other role's feed would be empty
        routes.add(
            APIOperation(
                .get, "/v1/members/me/calendar.ics", id: "memberCalendar", summary: "Your committees' meetings as an iCalendar feed",
                tag: "calendars", access: .roles(.agencyHead), replies: [calendar])
        ) { _, context in
            try await memberFeed(for: try context.authenticated(), store: store)
        }

        let holders: Access = .roles(.streetOfficer, .agencyHead, .commandCentre)
        routes.add(
            APIOperation(
                .post, "/v1/calendar-feeds", id: "createCalendarFeed",
                summary: "A feed URL for a calendar app: a random capability that reads this one feed and nothing else (shown once)",
                tag: "calendars", access: holders,
                body: Schema.object(
                    [
                        ("kind", Schema.string("street: one street's meetings; member: your committees'", enum: ["street", "member"])),
                        ("street", Schema.string("the street, for a street feed")), ("label", Schema.string("what it is for, e.g. 手机日历", maxLength: 60)),
                    ], required: ["kind", "label"]),
                replies: [
                    .init(201, "The feed, with its URL", feedSchema), .init(409, "Too many feeds", Schema.problem, contentType: "application/problem+json"),
                ])
        ) { request, context in
            let body = try await APICoding.decode(CalendarFeeds.Request.self, from: request, context: context)
            // the URL the caller reached meetingd at, unless the deployment names its public one
            let base = publicURL ?? "http://\(request.head.authority ?? "localhost")"
            return try APICoding.response(.created, try await feeds.create(body, for: try context.authenticated(), baseURL: base))
        }

        routes.add(
            APIOperation(
                .get, "/v1/calendar-feeds", id: "listCalendarFeeds", summary: "Your live calendar feeds (without their capabilities)",
                tag: "calendars", access: holders, replies: [.init(200, "Feeds", Schema.array(feedSchema))])
        ) { _, context in
            try APICoding.response(.ok, try await feeds.list(for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .delete, "/v1/calendar-feeds/{id}", id: "revokeCalendarFeed", summary: "Revoke one of your feeds: its URL stops answering",
                tag: "calendars", access: holders, parameters: [.path("id", Schema.uuid)], replies: [.init(204, "Revoked")])
        ) { _, context in
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw Problem.notFound("no such feed") }
            try await feeds.revoke(id, by: try context.authenticated())
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .get, "/v1/feeds/{capability}.ics", id: "calendarFeed",
                summary: "A calendar feed by its capability, as calendar apps subscribe (no header needed)", tag: "calendars", access: .capability,
                parameters: [.path("capability", Schema.string("the capability of the feed's URL"))], replies: [calendar])
        ) { _, context in
            let notFound = Problem.notFound("no such feed")
            guard let (feed, owner) = try await feeds.open(try context.parameters.require("capability")) else { throw notFound }
            do {
                switch feed.kind {
                case .street: return try await streetFeed(feed.street ?? "", for: owner, store: store)
                case .member: return try await memberFeed(for: owner, store: store)
                }
            } catch let problem as Problem where problem.status == .notFound || problem.status == .forbidden {
                // the owner no longer reaches that street (transferred): the feed is gone for them
                throw notFound
            }
        }
    }

    static func streetFeed(_ street: String, for principal: Principal, store: MeetingStore) async throws -> Response {
        let now = store.clock.now()
        let meetings = try await store.meetings(
            street: street, from: now.addingTimeInterval(-90 * 86400), to: MeetingStore.horizon(from: now, timeZone: store.timeZone), for: principal)
        return calendarResponse(ICalendar.feed(name: "五长碰头会 \(street)", meetings: meetings, now: now))
    }

    static func memberFeed(for principal: Principal, store: MeetingStore) async throws -> Response {
        guard principal.role == .agencyHead else { throw Problem.forbidden("only agency heads sit on committees") }
        let now = store.clock.now()
        let meetings = try await store.meetings(
            member: principal.subject, from: now.addingTimeInterval(-90 * 86400), to: MeetingStore.horizon(from: now, timeZone: store.timeZone))
        return calendarResponse(ICalendar.feed(name: "五长碰头会", meetings: meetings, now: now))
    }

    static func calendarResponse(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

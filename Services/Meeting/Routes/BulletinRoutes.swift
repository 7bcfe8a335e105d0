import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/bulletins`: the weekly bulletin, generated on demand or on schedule; JSON or a printable page.
enum BulletinRoutes {
    struct Request: Decodable {
        let scope: String
        let weekStart: CalendarDate?
    }

    static func register(on routes: APIRoutes, publisher: BulletinPublisher, timeZone: TimeZone) {
        routes.add(
            APIOperation(
                .post, "/v1/bulletins", id: "publishBulletin", summary: "Generate and publish a week's bulletin for a street or the district", tag: "bulletins",
                access: .roles(.streetOfficer, .commandCentre),
                body: Schema.object(
                    [("scope", Schema.string("street:CODE or district")), ("week_start", Schema.string("a Monday; default this week", format: "date"))],
                    required: ["scope"]),
                replies: [.init(201, "The bulletin", ["type": "object"])])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Request.self, from: request, context: context)
            guard let scope = Scope(body.scope), scope.level == .street || scope.level == .district else {
                throw Problem.validation([.init(field: "scope", message: "must be street:CODE or district")])
            }
            try authorize(principal, scope, publishing: true)
            let week = BulletinPublisher.weekStart(of: body.weekStart ?? WorkingCalendar(timeZone: timeZone).day(of: publisher.clock.now()))
            return try APICoding.response(.created, try await publisher.publish(scope: scope, week: week))
        }

        routes.add(
            APIOperation(
                .get, "/v1/bulletins/latest", id: "latestBulletin", summary: "The newest bulletin of a scope (JSON, or HTML with format=html)",
                tag: "bulletins", access: .roles(.streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.query("scope", Schema.string("street:CODE or district")), .query("format", Schema.string(enum: ["json", "html"]))],
                replies: [
                    .init(200, "The bulletin", ["type": "object"]), .init(200, "A printable page", Schema.string(), contentType: "text/html"),
                    .init(404, "None yet"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            guard let text = request.uri.queryParameters.get("scope"), let scope = Scope(text), scope.level == .street || scope.level == .district else {
                throw Problem.badRequest("scope must be street:CODE or district", errors: [.init(field: "scope", message: "is required")])
            }
            try authorize(principal, scope, publishing: false)
            guard let bulletin = try await publisher.latest(scope: scope) else { throw Problem.notFound("no bulletin for \(scope) yet") }
            if HTMLPage.wanted(request) {
                return HTMLPage.response(BulletinPage.html(bulletin, streets: try await publisher.streetNames(), timeZone: timeZone))
            }
            return try APICoding.response(.ok, bulletin)
        }
    }

    /// Streets' bulletins: their officers and heads (officers publish); the district's: the command centre.
    static func authorize(_ principal: Principal, _ scope: Scope, publishing: Bool) throws {
        if principal.role == .commandCentre || principal.role == .disciplineInspector && !publishing { return }
        guard scope.level == .street, principal.scope == scope,
            publishing ? principal.role == .streetOfficer : [.streetOfficer, .agencyHead].contains(principal.role)
        else { throw Problem.notFound("no bulletin of yours for \(scope)") }
    }
}

import Daemon
import Foundation
import GridCore
import Hummingbird

/// Feedback (反馈): following findings, the feed of their changes, and the reporter's rating.
enum FeedbackRoutes {
    struct Rating: Decodable {
        let rating: Int
        let comment: String?
    }

    static func register(on routes: APIRoutes, store: FindingStore) {
        routes.add(
            APIOperation(
                .get, "/v1/following", id: "listFollowing", summary: "Findings you reported or follow, most recently changed first", tag: "feedback",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.query("limit", Schema.integer(minimum: 1, maximum: 200)), .query("cursor")],
                replies: [
                    .init(
                        200, "A page of findings",
                        Schema.object([("items", Schema.array(PatrolSchemas.finding)), ("next_cursor", Schema.nullable(Schema.string()))], required: ["items"]))
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let limit = try Pagination.limit(request)
            let items = try await store.following(principal, limit: limit, after: try Pagination.cursor(request))
            let next = items.count == limit ? items.last.map { Pagination.encode($0.updatedAt, $0.id) } : nil
            return try APICoding.response(.ok, FindingRoutes.Page(items: items, nextCursor: next))
        }

        for (method, id, summary, follow) in [
            (HTTPRequest.Method.put, "followFinding", "Follow a finding", true), (.delete, "unfollowFinding", "Stop following a finding", false),
        ] {
            routes.add(
                APIOperation(
                    method, "/v1/findings/{id}/followers/me", id: id, summary: summary, tag: "feedback",
                    access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                    parameters: [.path("id", Schema.uuid)],
                    replies: [.init(204, "Done"), .init(404, "No such finding in your scope")])
            ) { _, context in
                let principal = try context.authenticated()
                try await store.follow(try context.uuid("id"), follow, by: principal)
                return Response(status: .noContent)
            }
        }

        routes.add(
            APIOperation(
                .post, "/v1/findings/{id}/rating", id: "rateFinding", summary: "Rate the handling of your closed finding (once)", tag: "feedback",
                access: .roles(.gridWorker),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object([("rating", Schema.integer(minimum: 1, maximum: 5)), ("comment", Schema.string(maxLength: 500))], required: ["rating"]),
                replies: [.init(200, "Rated", PatrolSchemas.finding), .init(409, "Not closed, or rated already")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Rating.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if !(1...5).contains(body.rating) { errors.append(.init(field: "rating", message: "must be 1 to 5")) }
            if let comment = body.comment, comment.length > 500 { errors.append(.init(field: "comment", message: "at most 500 characters")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            return try APICoding.response(.ok, try await store.rate(try context.uuid("id"), rating: body.rating, comment: body.comment, by: principal))
        }
    }
}

import Daemon
import Foundation
import GridCore
import Hummingbird
import Postgres

/// `/v1/streets/{street}/finding-intake`: what the street's coordination meeting has heard of.
enum IntakeRoutes {
    struct Page: Encodable {
        let items: [IntakeItem]
        let nextCursor: String?
    }

    static func register(on routes: APIRoutes, pool: PostgresPool) {
        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/finding-intake", id: "listFindingIntake", summary: "Findings reported in a street, newest first", tag: "agenda",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("street"), .query("limit", Schema.integer(minimum: 1, maximum: 200)), .query("cursor")],
                replies: [
                    .init(
                        200, "A page of findings",
                        Schema.object([("items", Schema.array(["type": "object"])), ("next_cursor", Schema.nullable(Schema.string()))], required: ["items"]))
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let street = try context.parameters.require("street")
            guard principal.scope.level == .district || (principal.scope.level == .street && principal.scope.code == street) else {
                throw Problem.notFound("no such street in your scope")
            }
            let limit = try Pagination.limit(request)
            let cursor = try Pagination.cursor(request)
            let items = try await pool.withConnection { try FindingIntake.list(street: street, limit: limit, after: cursor, on: $0) }
            let next = items.count == limit ? items.last.map { Pagination.encode($0.receivedAt, $0.findingId) } : nil
            return try APICoding.response(.ok, Page(items: items, nextCursor: next))
        }
    }
}

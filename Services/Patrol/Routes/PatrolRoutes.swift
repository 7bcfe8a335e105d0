import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/patrols`: a grid worker starts and ends a patrol of their grid.
enum PatrolRoutes {
    struct Start: Decodable {
        let id: UUID
        let startedAt: Date?
    }

    struct End: Decodable {
        let endedAt: Date?
    }

    static func register(on routes: APIRoutes, store: PatrolStore) {
        routes.add(
            APIOperation(
                .post, "/v1/patrols", id: "startPatrol", summary: "Start a patrol of your grid (idempotent by id)", tag: "patrols",
                access: .roles(.gridWorker), body: Schema.object([("id", Schema.uuid), ("started_at", Schema.dateTime)], required: ["id"]),
                replies: [
                    .init(201, "Started", PatrolSchemas.patrol), .init(200, "Already started: the first result", PatrolSchemas.patrol),
                    .init(409, "Another patrol is open"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Start.self, from: request, context: context)
            let (patrol, created) = try await store.start(id: body.id, startedAt: body.startedAt, by: principal)
            return try APICoding.response(created ? .created : .ok, patrol)
        }

        routes.add(
            APIOperation(
                .post, "/v1/patrols/{id}/end", id: "endPatrol", summary: "End your patrol", tag: "patrols", access: .roles(.gridWorker),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object([("ended_at", Schema.dateTime)]), replies: [.init(200, "Ended", PatrolSchemas.patrol), .init(404, "No patrol of yours")])
        ) { request, context in
            let principal = try context.authenticated()
            let id = try context.uuid("id")
            let body = try await APICoding.decode(End.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.end(id: id, endedAt: body.endedAt, by: principal))
        }
    }
}

import Daemon
import Foundation
import GridCore
import Hummingbird

/// Administrators issue, list and revoke the Open311 keys of the district's clients.
enum Open311KeyRoutes {
    static let keySchema = Schema.object([
        ("id", Schema.uuid), ("subject", Schema.string()), ("client", Schema.string()), ("created_by", Schema.string()),
        ("created_at", Schema.dateTime), ("last_used_at", Schema.dateTime), ("api_key", Schema.string("the key itself: shown once, when issued")),
    ])

    static func register(on routes: APIRoutes, keys: Open311Keys) {
        routes.add(
            APIOperation(
                .post, "/v1/open311-keys", id: "issueOpen311Key",
                summary: "An Open311 key for a client, bound to one account of the directory (shown once)", tag: "open311",
                access: .roles(.admin),
                body: Schema.object(
                    [("subject", Schema.string("the account the key acts as")), ("client", Schema.string("who holds it, e.g. 区12345热线", maxLength: 80))],
                    required: ["subject", "client"]),
                replies: [.init(201, "The key", keySchema)])
        ) { request, context in
            let body = try await APICoding.decode(Open311Keys.Issue.self, from: request, context: context)
            return try APICoding.response(.created, try await keys.issue(body, by: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .get, "/v1/open311-keys", id: "listOpen311Keys", summary: "The live Open311 keys (never the keys themselves)", tag: "open311",
                access: .roles(.admin), replies: [.init(200, "Keys", Schema.array(keySchema))])
        ) { _, _ in
            try APICoding.response(.ok, try await keys.list())
        }

        routes.add(
            APIOperation(
                .delete, "/v1/open311-keys/{id}", id: "revokeOpen311Key", summary: "Revoke an Open311 key: it stops working at once", tag: "open311",
                access: .roles(.admin), parameters: [.path("id", Schema.uuid)], replies: [.init(204, "Revoked")])
        ) { _, context in
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw Problem.notFound("no such key") }
            try await keys.revoke(id, by: try context.authenticated())
            return Response(status: .noContent)
        }
    }
}

import Foundation
import GridCore
import Hummingbird
import Postgres
import Webhooks

/// `/v1/webhooks` on every daemon: its outbound webhook endpoints — create (the secret is shown
/// once), list, pause, resume, delete, rotate the secret with an overlap, the delivery log, replay.
/// For administrators.
enum WebhookRoutes {
    struct NewEndpoint: Decodable {
        let id: UUID
        let url: String
        let topics: [String]
        let description: String?
        let agencyCode: String?
    }

    struct Created: Encodable {
        let endpoint: WebhookEndpoint
        let secret: String?
    }

    struct Rotation: Decodable {
        let overlapHours: Int?
    }

    struct Secret: Encodable {
        let secret: String
    }

    struct Replay: Decodable {
        let eventId: UUID?
        let from: Date?
        let to: Date?
    }

    struct Replayed: Encodable {
        let queued: Int
    }

    static let endpointSchema = Schema.object([
        ("id", Schema.uuid), ("owner", Schema.string()), ("url", Schema.string()), ("description", Schema.string()), ("topics", Schema.array(Schema.string())),
        ("agency_code", Schema.string()), ("state", Schema.string(enum: ["active", "paused", "disabled"])), ("disabled_reason", Schema.string()),
        ("failing_since", Schema.dateTime), ("created_at", Schema.dateTime),
    ])

    static func register(on routes: APIRoutes, endpoints: WebhookEndpoints, pool: PostgresPool) {
        @Sendable func notFound(_ error: any Error) -> any Error {
            (error as? WebhookEndpoints.EndpointError) == .notFound ? Problem.notFound("no webhook endpoint with this id") : error
        }

        routes.add(
            APIOperation(
                .post, "/v1/webhooks", id: "createWebhook", summary: "Subscribe an endpoint to this daemon's events (the secret is shown once)",
                tag: "webhooks", access: .roles(.admin),
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("url", Schema.string("http(s) URL; internal addresses only if allow-listed")),
                        ("topics", Schema.array(Schema.string("a topic, prefix.* or *"))), ("description", Schema.string(maxLength: 500)),
                        ("agency_code", Schema.string("only events about this agency")),
                    ], required: ["id", "url", "topics"]),
                replies: [.init(201, "Created", ["type": "object"]), .init(200, "Created before (no secret)", ["type": "object"])])
        ) { request, context in
            let body = try await APICoding.decode(NewEndpoint.self, from: request, context: context)
            let problems = endpoints.problems(url: body.url, topics: body.topics, description: body.description ?? "")
            if !problems.isEmpty { throw Problem.validation(problems.map { .init(field: $0.field, message: $0.message) }) }
            let subject = try context.authenticated().subject
            let (endpoint, secret, created) = try await pool.withConnection { connection in
                try endpoints.create(
                    id: body.id, url: body.url, topics: body.topics, description: body.description ?? "", agencyCode: body.agencyCode, by: subject, at: Date(),
                    on: connection)
            }
            guard endpoint.url == body.url else { throw Problem.conflict("id-taken", "this id belongs to another endpoint") }
            return try APICoding.response(created ? .created : .ok, Created(endpoint: endpoint, secret: created ? secret : nil))
        }

        routes.add(
            APIOperation(
                .get, "/v1/webhooks", id: "listWebhooks", summary: "This daemon's webhook endpoints", tag: "webhooks", access: .roles(.admin),
                replies: [.init(200, "Endpoints", Schema.array(endpointSchema))])
        ) { _, _ in
            try APICoding.response(.ok, try await pool.withConnection { try endpoints.list(on: $0) })
        }

        for action in ["pause", "resume"] {
            routes.add(
                APIOperation(
                    .post, "/v1/webhooks/{id}/\(action)", id: "\(action)Webhook",
                    summary: action == "pause" ? "Hold deliveries (they wait)" : "Deliver again (also re-enables a disabled endpoint)",
                    tag: "webhooks", access: .roles(.admin),
                    parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The endpoint", endpointSchema), .init(404, "No such endpoint")])
            ) { _, context in
                let id = try context.uuid("id")
                do {
                    return try APICoding.response(.ok, try await pool.withConnection { try endpoints.change(id, to: action, at: Date(), on: $0) })
                } catch { throw notFound(error) }
            }
        }

        routes.add(
            APIOperation(
                .delete, "/v1/webhooks/{id}", id: "deleteWebhook", summary: "Delete an endpoint and its delivery log", tag: "webhooks", access: .roles(.admin),
                parameters: [.path("id", Schema.uuid)], replies: [.init(204, "Deleted"), .init(404, "No such endpoint")])
        ) { _, context in
            let id = try context.uuid("id")
            do {
                _ = try await pool.withConnection { try endpoints.change(id, to: "delete", at: Date(), on: $0) }
            } catch { throw notFound(error) }
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .post, "/v1/webhooks/{id}/rotate-secret", id: "rotateWebhookSecret",
                summary: "A new secret; the old one keeps signing alongside it for the overlap (default 24 h)", tag: "webhooks", access: .roles(.admin),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("overlap_hours", Schema.integer(minimum: 0, maximum: 720))]),
                replies: [.init(200, "The new secret", Schema.object([("secret", Schema.string())]))])
        ) { request, context in
            let id = try context.uuid("id")
            let body = try await APICoding.decode(Rotation.self, from: request, context: context)
            let hours = body.overlapHours ?? 24
            guard (0...720).contains(hours) else { throw Problem.validation([.init(field: "overlap_hours", message: "must be 0 to 720")]) }
            do {
                return try APICoding.response(
                    .ok, Secret(secret: try await pool.withConnection { try endpoints.rotateSecret(id, overlap: .seconds(hours * 3600), at: Date(), on: $0) }))
            } catch { throw notFound(error) }
        }

        routes.add(
            APIOperation(
                .get, "/v1/webhooks/{id}/deliveries", id: "webhookDeliveries", summary: "The delivery log: attempts, status codes, latency, last error",
                tag: "webhooks", access: .roles(.admin), parameters: [.path("id", Schema.uuid), .query("limit", Schema.integer(minimum: 1, maximum: 200))],
                replies: [.init(200, "Deliveries, newest first", Schema.array(["type": "object"]))])
        ) { request, context in
            let id = try context.uuid("id")
            let limit = try Pagination.limit(request)
            return try APICoding.response(
                .ok,
                try await pool.withConnection { connection in
                    guard try endpoints.get(id, on: connection) != nil else { throw Problem.notFound("no webhook endpoint with this id") }
                    return try endpoints.deliveries(of: id, limit: limit, on: connection)
                })
        }

        routes.add(
            APIOperation(
                .post, "/v1/webhooks/{id}/replay", id: "replayWebhook", summary: "Send one event (event_id) or a time range (from, to) again",
                tag: "webhooks", access: .roles(.admin), parameters: [.path("id", Schema.uuid)],
                body: Schema.object([("event_id", Schema.uuid), ("from", Schema.dateTime), ("to", Schema.dateTime)]),
                replies: [.init(200, "Queued", Schema.object([("queued", Schema.integer())]))])
        ) { request, context in
            let id = try context.uuid("id")
            let body = try await APICoding.decode(Replay.self, from: request, context: context)
            guard body.eventId != nil || (body.from != nil && body.to != nil) else {
                throw Problem.validation([.init(field: "event_id", message: "give an event_id, or from and to")])
            }
            if let from = body.from, let to = body.to, from >= to { throw Problem.validation([.init(field: "to", message: "must be after from")]) }
            do {
                let queued = try await pool.withConnection { try endpoints.replay(id, event: body.eventId, from: body.from, to: body.to, at: Date(), on: $0) }
                return try APICoding.response(.ok, Replayed(queued: queued))
            } catch { throw notFound(error) }
        }
    }
}

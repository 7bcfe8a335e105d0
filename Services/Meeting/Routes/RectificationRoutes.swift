import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/.../rectifications`: rectification orders with deadlines.
enum RectificationRoutes {
    struct Change: Decodable {
        let change: String
        let text: String?
    }

    static let states = ["issued", "responded", "verified"]

    static func register(on routes: APIRoutes, rectifications: Rectifications) {
        routes.add(
            APIOperation(
                .post, "/v1/streets/{street}/rectifications", id: "issueRectification", summary: "Issue a rectification order to an agency or a community",
                tag: "rectification", access: .roles(.streetOfficer, .commandCentre), parameters: [.path("street")],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("target_kind", Schema.string(enum: ["agency", "community"])), ("target_code", Schema.string()),
                        ("notice", Schema.string(maxLength: 2000)), ("deadline", Schema.string(format: "date")), ("meeting_id", Schema.uuid),
                    ], required: ["id", "target_kind", "target_code", "notice", "deadline"]),
                replies: [.init(201, "Issued", ["type": "object"])])
        ) { request, context in
            let principal = try context.authenticated()
            let order = try await APICoding.decode(Rectifications.Order.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if order.targetKind != "agency" && order.targetKind != "community" {
                errors.append(.init(field: "target_kind", message: "must be agency or community"))
            }
            if order.notice.trimmingCharacters(in: .whitespaces).isEmpty || order.notice.length > 2000 {
                errors.append(.init(field: "notice", message: "must be 1 to 2000 characters"))
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            return try APICoding.response(.created, try await rectifications.issue(order, street: try context.parameters.require("street"), by: principal))
        }

        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/rectifications", id: "listRectifications",
                summary: "A street's rectification orders, the escalated and nearest deadlines first (community staff: their community's)",
                tag: "rectification", access: .roles(.streetOfficer, .agencyHead, .commandCentre, .communityStaff),
                parameters: [.path("street"), .query("state", Schema.string(enum: Self.states))],
                replies: [.init(200, "Orders, at most 500", Schema.array(["type": "object"])), .init(404, "No committee of yours in that street")])
        ) { request, context in
            let principal = try context.authenticated()
            let state = try QueryValues.oneOf("state", Self.states, in: request)
            return try APICoding.response(.ok, try await rectifications.list(street: try context.parameters.require("street"), state: state, for: principal))
        }

        routes.add(
            APIOperation(
                .get, "/v1/rectifications/{id}", id: "getRectification", summary: "A rectification order and its history", tag: "rectification",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre, .communityStaff),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The order", ["type": "object"]), .init(404, "No such order in your scope")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await rectifications.read(try context.uuid("id"), for: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/rectifications/{id}/changes", id: "changeRectification",
                summary: "respond (the target, with its response), verify or reject (the street; reject needs a reason)", tag: "rectification",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre, .communityStaff),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("change", Schema.string(enum: ["respond", "verify", "reject"])), ("text", Schema.string(maxLength: 2000))], required: ["change"]),
                replies: [.init(200, "The order", ["type": "object"]), .init(409, "Not allowed in its state")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Change.self, from: request, context: context)
            return try APICoding.response(.ok, try await rectifications.change(try context.uuid("id"), change: body.change, text: body.text, by: principal))
        }
    }
}

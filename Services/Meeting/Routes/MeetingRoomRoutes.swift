import Daemon
import Foundation
import GridCore
import Hummingbird

/// A meeting's agenda, attendance, outcomes and close.
enum MeetingRoomRoutes {
    struct Proposal: Decodable {
        let title: String
        let severity: Int
    }

    struct Start: Decodable {
        let present: [String]
    }

    static let minutesSchema = Schema.object([
        ("meeting", ScheduleRoutes.meetingSchema), ("quorum", Schema.integer()), ("present", Schema.array(Schema.string())),
        ("absent", Schema.array(Schema.string())), ("agenda", Schema.array(["type": "object"])), ("agenda_frozen", Schema.boolean),
        ("outcomes", Schema.array(["type": "object"])),
    ])

    static func register(on routes: APIRoutes, store: MeetingStore) {
        routes.add(
            APIOperation(
                .get, "/v1/meetings/{id}", id: "getMeeting", summary: "A meeting's minutes: attendance, agenda (live until it starts), outcomes",
                tag: "meetings", access: .roles(.streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Minutes", minutesSchema), .init(404, "No such meeting in your street")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await store.minutes(try context.uuid("id"), for: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/meetings/{id}/agenda-items", id: "proposeAgendaItem", summary: "Add an item to the agenda before the meeting starts",
                tag: "meetings", access: .roles(.streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("title", Schema.string(maxLength: 300)), ("severity", Schema.integer(minimum: 1, maximum: 5))], required: ["title", "severity"]),
                replies: [.init(200, "Minutes", minutesSchema), .init(409, "The agenda is frozen")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Proposal.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if body.title.trimmingCharacters(in: .whitespaces).isEmpty || body.title.length > 300 {
                errors.append(.init(field: "title", message: "must be 1 to 300 characters"))
            }
            if !(1...5).contains(body.severity) { errors.append(.init(field: "severity", message: "must be 1 to 5")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            return try APICoding.response(.ok, try await store.propose(try context.uuid("id"), title: body.title, severity: body.severity, by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/meetings/{id}/start", id: "startMeeting", summary: "Open the meeting with its attendance; the agenda freezes", tag: "meetings",
                access: .roles(.streetOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("present", Schema.array(Schema.string("agency code")))], required: ["present"]),
                replies: [.init(200, "Minutes", minutesSchema), .init(409, "Not scheduled")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Start.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.start(try context.uuid("id"), present: Set(body.present), by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/meetings/{id}/outcomes", id: "recordOutcome", summary: "Record information, a decision or an action item (decisions need quorum)",
                tag: "meetings", access: .roles(.streetOfficer, .commandCentre), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("agenda_position", Schema.integer()), ("kind", Schema.string(enum: ["information", "decision", "action_item"])),
                        ("text", Schema.string(maxLength: 2000)), ("owner_agency", Schema.string()), ("deadline", Schema.string(format: "date")),
                        ("finding_ids", Schema.array(Schema.uuid)),
                    ], required: ["id", "kind", "text"]),
                replies: [.init(200, "Minutes", minutesSchema), .init(409, "Not in progress, minutes frozen, or no quorum")])
        ) { request, context in
            let principal = try context.authenticated()
            let outcome = try await APICoding.decode(MeetingStore.NewOutcome.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if !["information", "decision", "action_item"].contains(outcome.kind) {
                errors.append(.init(field: "kind", message: "must be information, decision or action_item"))
            }
            if outcome.text.trimmingCharacters(in: .whitespaces).isEmpty || outcome.text.length > 2000 {
                errors.append(.init(field: "text", message: "must be 1 to 2000 characters"))
            }
            if (outcome.findingIds?.count ?? 0) > 50 { errors.append(.init(field: "finding_ids", message: "at most 50")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            return try APICoding.response(.ok, try await store.record(outcome, in: try context.uuid("id"), by: principal))
        }

        routes.add(
            APIOperation(
                .get, "/v1/streets/{street}/action-items", id: "listActionItems",
                summary: "A street's action items, the overdue and nearest deadlines first", tag: "action items",
                access: .roles(.streetOfficer, .agencyHead, .commandCentre),
                parameters: [
                    .path("street"), .query("state", Schema.string(enum: ["open", "reopened", "done", "verified"])),
                    .query("overdue", Schema.string(enum: ["true", "false"])),
                ],
                replies: [.init(200, "Action items, at most 500", Schema.array(["type": "object"])), .init(404, "No committee of yours in that street")])
        ) { request, context in
            let principal = try context.authenticated()
            let state = try QueryValues.oneOf("state", ["open", "reopened", "done", "verified"], in: request)
            return try APICoding.response(
                .ok,
                try await store.actionItems(
                    street: try context.parameters.require("street"), state: state, overdueOnly: try QueryValues.flag("overdue", in: request), for: principal))
        }

        routes.add(
            APIOperation(
                .get, "/v1/action-items/{id}", id: "getActionItem", summary: "An action item and where its linked findings stand in patrold",
                tag: "action items", access: .roles(.streetOfficer, .agencyHead, .commandCentre), parameters: [.path("id", Schema.uuid)],
                replies: [.init(200, "The action item", ["type": "object"]), .init(404, "No such action item in your street")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await store.actionItem(try context.uuid("id"), for: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/action-items/{id}/changes", id: "changeActionItem",
                summary: "done (owner, with evidence), verify or reopen (street, reopen with a reason), move_deadline (street, with a reason)",
                tag: "action items", access: .roles(.streetOfficer, .agencyHead, .commandCentre), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("change", Schema.string(enum: ["done", "verify", "reopen", "move_deadline"])), ("evidence", Schema.string(maxLength: 2000)),
                        ("reason", Schema.string(maxLength: 1000)), ("deadline", Schema.string(format: "date")),
                    ], required: ["change"]),
                replies: [.init(200, "The action item", ["type": "object"]), .init(409, "Not allowed in its state")])
        ) { request, context in
            let principal = try context.authenticated()
            let step = try await APICoding.decode(MeetingStore.ActionItemStep.self, from: request, context: context)
            if (step.reason?.length ?? 0) > 1000 { throw Problem.validation([.init(field: "reason", message: "at most 1000 characters")]) }
            return try APICoding.response(.ok, try await store.step(try context.uuid("id"), step, by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/meetings/{id}/close", id: "closeMeeting", summary: "Close the meeting; its minutes freeze", tag: "meetings",
                access: .roles(.streetOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Minutes", minutesSchema), .init(409, "Not in progress")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await store.close(try context.uuid("id"), by: principal))
        }
    }
}

import Daemon
import Foundation
import GridCore
import Hummingbird

/// Changes to a case that need a reason: reallocation, reassessment, deferral, legal hold; and the support plan.
enum CaseChangeRoutes {
    struct Hold: Decodable {
        let hold: Bool
        let reason: String
    }

    struct SupportChange: Decodable {
        let area: String?
        let status: String?
        let details: String?
        let dueOn: CalendarDate?
    }

    static func register(on routes: APIRoutes, store: CaseStore) {
        routes.add(
            APIOperation(
                .post, "/v1/cases/{id}/reallocation", id: "reallocateCase",
                summary: "The supervisor hands the case to another pair, from the pair they expect is assigned", tag: "cases",
                access: .roles(.caseworker), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("expected_community_worker", Schema.string()), ("expected_police_officer", Schema.string()), ("community_worker", Schema.string()),
                        ("police_officer", Schema.string()), ("supervisor", Schema.string()), ReentrySchemas.reason,
                    ], required: ["expected_community_worker", "expected_police_officer", "community_worker", "police_officer", "reason"]),
                replies: [.init(200, "Reallocated", ReentrySchemas.supervisionCase), .init(409, "Someone reallocated it meanwhile")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Reallocation.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.reallocate(try context.uuid("id"), body, by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cases/{id}/reassessments", id: "reassessCase", summary: "The supervisor sets (or confirms) the level from a day on", tag: "cases",
                access: .roles(.caseworker), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("level", Schema.string(enum: ReentrySchemas.levels)), ("effective_on", Schema.string(format: "date")), ReentrySchemas.reason],
                    required: ["level", "effective_on", "reason"]),
                replies: [.init(200, "Reassessed", ReentrySchemas.supervisionCase), .init(409, "A level already takes effect that day")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Reassessment.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.reassess(try context.uuid("id"), body, by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cases/{id}/deferrals", id: "deferContacts", summary: "Move due dates within a span to its end (idempotent by id)", tag: "cases",
                access: .roles(.caseworker), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("contact_type", Schema.string("omit for every kind", enum: ReentrySchemas.contactTypes)),
                        ("from_on", Schema.string(format: "date")), ("until_on", Schema.string(format: "date")), ReentrySchemas.reason,
                    ], required: ["id", "from_on", "until_on", "reason"]),
                replies: [.init(204, "Deferred")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewDeferral.self, from: request, context: context)
            try await store.deferContacts(try context.uuid("id"), body, by: principal, requestID: context.requestID)
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .post, "/v1/cases/{id}/legal-hold", id: "setLegalHold", summary: "Keep (or stop keeping) a case's data past retention", tag: "retention",
                access: .roles(.caseworker, .disciplineInspector), parameters: [.path("id", Schema.uuid)],
                body: Schema.object([("hold", Schema.boolean), ReentrySchemas.reason], required: ["hold", "reason"]),
                replies: [.init(200, "Set", ReentrySchemas.supervisionCase)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Hold.self, from: request, context: context)
            return try APICoding.response(
                .ok, try await store.setLegalHold(try context.uuid("id"), hold: body.hold, reason: body.reason, by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .put, "/v1/cases/{id}/support-items/{item}", id: "putSupportItem", summary: "Add a support-plan item or change its status", tag: "cases",
                access: .roles(.caseworker), parameters: [.path("id", Schema.uuid), .path("item", Schema.uuid)],
                body: Schema.object([
                    ("area", Schema.string(enum: SupportItem.areas)), ("status", Schema.string(enum: SupportItem.statuses)),
                    ("details", Schema.string(maxLength: 2000)), ("due_on", Schema.string(format: "date")),
                ]),
                replies: [.init(200, "The item", ReentrySchemas.supportItem)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(SupportChange.self, from: request, context: context)
            return try APICoding.response(
                .ok,
                try await store.updateSupport(
                    try context.uuid("id"), item: try context.uuid("item"), area: body.area, status: body.status, details: body.details, dueOn: body.dueOn,
                    by: principal, requestID: context.requestID))
        }
    }
}

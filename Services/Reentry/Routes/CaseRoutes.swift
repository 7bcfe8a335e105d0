import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/cases`: opening cases, the caseload, the audited case record and the contacts log.
enum CaseRoutes {
    struct Page: Encodable {
        let items: [CaseloadEntry]
        let nextCursor: String?
    }

    static func register(on routes: APIRoutes, store: CaseStore) {
        routes.add(
            APIOperation(
                .post, "/v1/cases", id: "openCase", summary: "Open a case (a supervising caseworker of the street; idempotent by id)", tag: "cases",
                access: .roles(.caseworker),
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("kind", Schema.string(enum: ReentrySchemas.kinds)), ("level", Schema.string(enum: ReentrySchemas.levels)),
                        ("starts_on", Schema.string(format: "date")), ("ends_on", Schema.string(format: "date")), ("residence_grid", Schema.string()),
                        ("community_worker", Schema.string()), ("police_officer", Schema.string()), ("supervisor", Schema.string("default: the caller")),
                        ("person", ReentrySchemas.person),
                        (
                            "support_plan",
                            Schema.array(
                                Schema.object(
                                    [
                                        ("area", Schema.string(enum: SupportItem.areas)), ("details", Schema.string()),
                                        ("due_on", Schema.string(format: "date")),
                                    ],
                                    required: ["area", "details"]))
                        ),
                    ],
                    required: ["id", "kind", "level", "starts_on", "ends_on", "residence_grid", "community_worker", "police_officer", "person"]),
                replies: [
                    .init(201, "Opened", ReentrySchemas.supervisionCase), .init(200, "Opened before", ReentrySchemas.supervisionCase),
                    .init(409, "The person has an open case, or the id is taken"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewCase.self, from: request, context: context)
            let (opened, created) = try await store.open(body, by: principal, requestID: context.requestID)
            return try APICoding.response(created ? .created : .ok, opened)
        }

        routes.add(
            APIOperation(
                .get, "/v1/cases", id: "listCases", summary: "Your caseload (no personal data), optionally of one community", tag: "cases",
                access: .roles(.caseworker, .disciplineInspector),
                parameters: [
                    .query("community", Schema.string()), .query("state", Schema.string(enum: ["open", "closed"])),
                    .query("limit", Schema.integer(minimum: 1, maximum: 200)),
                    .query("cursor", Schema.string()),
                ],
                replies: [
                    .init(200, "A page of cases", Schema.object([("items", Schema.array(ReentrySchemas.supervisionCase)), ("next_cursor", Schema.string())]))
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let state = request.uri.queryParameters.get("state") ?? "open"
            guard ["open", "closed"].contains(state) else {
                throw Problem.badRequest("state must be open or closed", errors: [.init(field: "state", message: "open or closed")])
            }
            let limit = try Pagination.limit(request)
            let items = try await store.caseload(
                for: principal, community: request.uri.queryParameters.get("community"), state: state, limit: limit,
                after: try Pagination.cursor(request))
            let next = items.count == limit ? items.last.map { Pagination.encode($0.supervisionCase.openedAt, $0.supervisionCase.id) } : nil
            return try APICoding.response(.ok, Page(items: items, nextCursor: next))
        }

        routes.add(
            APIOperation(
                .get, "/v1/cases/{id}", id: "getCase", summary: "The case record with the person (every read is audited)", tag: "cases",
                access: .roles(.caseworker, .disciplineInspector), parameters: [.path("id", Schema.uuid)],
                replies: [.init(200, "The case", ReentrySchemas.supervisionCase), .init(404, "Not a case of yours")])
        ) { _, context in
            try APICoding.response(.ok, try await store.detail(try context.uuid("id"), for: try context.authenticated(), requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cases/{id}/contacts", id: "recordContact", summary: "Log a contact (idempotent by id)", tag: "contacts",
                access: .roles(.caseworker), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("contact_type", Schema.string(enum: ReentrySchemas.contactTypes)),
                        ("method", Schema.string(enum: ContactCounting.methods)), ("location", Schema.string(enum: ContactCounting.locations)),
                        ("outcome", Schema.string(enum: ContactCounting.outcomes)), ("occurred_at", Schema.dateTime), ("notes", Schema.string(maxLength: 4000)),
                    ], required: ["id", "contact_type", "method", "location", "outcome", "occurred_at"]),
                replies: [.init(201, "Logged", ReentrySchemas.contact), .init(200, "Logged before", ReentrySchemas.contact), .init(404, "Not a case of yours")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewContact.self, from: request, context: context)
            let (contact, created) = try await store.record(body, in: try context.uuid("id"), by: principal, requestID: context.requestID)
            return try APICoding.response(created ? .created : .ok, contact)
        }

        routes.add(
            APIOperation(
                .get, "/v1/cases/{id}/contacts", id: "listContacts", summary: "The contacts log (audited)", tag: "contacts",
                access: .roles(.caseworker, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Contacts", Schema.array(ReentrySchemas.contact))])
        ) { _, context in
            try APICoding.response(.ok, try await store.contacts(of: try context.uuid("id"), for: try context.authenticated(), requestID: context.requestID))
        }
    }
}

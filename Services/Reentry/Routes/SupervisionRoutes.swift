import Daemon
import Foundation
import GridCore
import Hummingbird

/// Due lists, alerts, counts, the responsibility review and the contact standards.
enum SupervisionRoutes {
    struct NewStandard: Decodable {
        let kind: CaseKind
        let level: SupervisionLevel
        let contactType: ContactType
        let requiredCount: Int?
        let periodLength: Int?
        let periodUnit: PeriodUnit?
        let firstWithin: Int?
        let firstUnit: PeriodUnit?
        let effectiveFrom: CalendarDate
    }

    static func register(on routes: APIRoutes, store: CaseStore, standards: StandardStore) {
        routes.add(
            APIOperation(
                .get, "/v1/due", id: "dueList", summary: "Open and overdue contacts across your caseload, optionally of one community", tag: "supervision",
                access: .roles(.caseworker, .disciplineInspector), parameters: [.query("community", Schema.string())],
                replies: [.init(200, "Due and overdue", Schema.array(["type": "object"]))])
        ) { request, context in
            try APICoding.response(.ok, try await store.dueList(for: try context.authenticated(), community: request.uri.queryParameters.get("community")))
        }

        routes.add(
            APIOperation(
                .get, "/v1/cases/{id}/obligations", id: "caseObligations", summary: "Every contact the standards required of a case, and its state",
                tag: "supervision", access: .roles(.caseworker, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Obligations", Schema.array(ReentrySchemas.obligation))])
        ) { _, context in
            try APICoding.response(.ok, try await store.obligations(of: try context.uuid("id"), for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .get, "/v1/alerts", id: "listAlerts", summary: "Your unacknowledged alerts", tag: "supervision", access: .roles(.caseworker),
                replies: [.init(200, "Alerts", Schema.array(["type": "object"]))])
        ) { _, context in
            try APICoding.response(.ok, try await store.alerts(for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .post, "/v1/alerts/{id}/acknowledge", id: "acknowledgeAlert", summary: "Acknowledge an alert of yours", tag: "supervision",
                access: .roles(.caseworker),
                parameters: [.path("id", Schema.uuid)], replies: [.init(204, "Acknowledged"), .init(404, "Not an alert of yours")])
        ) { _, context in
            try await store.acknowledge(alert: try context.uuid("id"), by: try context.authenticated())
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .get, "/v1/caseload/summary", id: "caseloadSummary", summary: "Counts per community in your scope — the command centre's view",
                tag: "supervision", access: .roles(.caseworker, .commandCentre, .disciplineInspector),
                replies: [.init(200, "Counts", Schema.array(["type": "object"]))])
        ) { _, context in
            try APICoding.response(.ok, try await store.summary(for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .get, "/v1/cases/{id}/review", id: "responsibilityReview",
                summary: "倒查: duties, contacts, assignments and misses over a period (JSON, or HTML with format=html); audited", tag: "review",
                access: .roles(.caseworker, .disciplineInspector),
                parameters: [
                    .path("id", Schema.uuid), .query("from", Schema.string(format: "date")), .query("to", Schema.string(format: "date")),
                    .query("format", Schema.string(enum: ["json", "html"])),
                ],
                replies: [.init(200, "The review", ["type": "object"]), .init(200, "A printable page", Schema.string(), contentType: "text/html")])
        ) { request, context in
            func day(_ name: String) throws -> CalendarDate? {
                guard let text = request.uri.queryParameters.get(name) else { return nil }
                guard let day = CalendarDate(text) else {
                    throw Problem.badRequest("\(name) is not a date", errors: [.init(field: name, message: "YYYY-MM-DD")])
                }
                return day
            }
            let review = try await store.review(
                try context.uuid("id"), from: try day("from") ?? CalendarDate(year: 2000, month: 1, day: 1)!,
                to: try day("to") ?? CalendarDate(year: 9999, month: 12, day: 31)!,
                for: try context.authenticated(), requestID: context.requestID)
            return HTMLPage.wanted(request) ? HTMLPage.response(ReviewPage.html(review, timeZone: store.timeZone)) : try APICoding.response(.ok, review)
        }

        routes.add(
            APIOperation(
                .get, "/v1/contact-standards", id: "listContactStandards", summary: "Every version of every contact standard", tag: "standards",
                access: .roles(.caseworker, .commandCentre, .disciplineInspector, .auditor, .admin),
                replies: [.init(200, "Standards", Schema.array(["type": "object"]))])
        ) { _, context in
            try APICoding.response(.ok, try await standards.all(for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .post, "/v1/contact-standards", id: "addContactStandard", summary: "A new version of a standard, in force from a future day (admin)",
                tag: "standards", access: .roles(.admin),
                body: Schema.object(
                    [
                        ("kind", Schema.string(enum: ReentrySchemas.kinds)), ("level", Schema.string(enum: ReentrySchemas.levels)),
                        ("contact_type", Schema.string(enum: ReentrySchemas.contactTypes)), ("required_count", Schema.integer(minimum: 1, maximum: 31)),
                        ("period_length", Schema.integer(minimum: 1, maximum: 366)), ("period_unit", Schema.string(enum: PeriodUnit.allCases.map(\.rawValue))),
                        ("first_within", Schema.integer(minimum: 1, maximum: 366)), ("first_unit", Schema.string(enum: PeriodUnit.allCases.map(\.rawValue))),
                        ("effective_from", Schema.string(format: "date")),
                    ], required: ["kind", "level", "contact_type", "effective_from"]),
                replies: [.init(201, "Added", ["type": "object"]), .init(409, "A version already starts that day")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewStandard.self, from: request, context: context)
            return try APICoding.response(.created, try await standards.add(body, by: principal))
        }
    }
}

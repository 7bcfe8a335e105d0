import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/visit-requests`: home visits reentryd asks grid workers to make.
enum VisitRoutes {
    struct NewRequest: Decodable {
        let id: UUID
        let caseId: String
        let gridCode: String
        let dueBy: Date?
    }

    struct Report: Decodable {
        let visitedAt: Date
        let outcome: String
    }

    static let visitSchema = Schema.object([
        ("id", Schema.uuid), ("case_id", Schema.string("reentryd's pseudonymous case id")), ("grid_code", Schema.string()), ("due_by", Schema.dateTime),
        ("requested_at", Schema.dateTime), ("state", Schema.string(enum: ["open", "reported"])), ("visited_at", Schema.dateTime),
        ("outcome", Schema.string(enum: VisitRequests.outcomes)), ("reported_by", Schema.string()),
    ])

    static func register(on routes: APIRoutes, visits: VisitRequests) {
        routes.add(
            APIOperation(
                .post, "/v1/visit-requests", id: "requestVisit", summary: "reentryd asks for a home visit in a grid (idempotent by id)", tag: "visits",
                access: .roles(.service),
                body: Schema.object(
                    [("id", Schema.uuid), ("case_id", Schema.string()), ("grid_code", Schema.string()), ("due_by", Schema.dateTime)],
                    required: ["id", "case_id", "grid_code"]),
                replies: [.init(201, "Requested", visitSchema), .init(200, "Already requested", visitSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewRequest.self, from: request, context: context)
            guard body.caseId.range(of: "^[A-Za-z0-9_-]{4,64}$", options: .regularExpression) != nil else {
                throw Problem.validation([.init(field: "case_id", message: "must be 4 to 64 letters, digits, - or _")])
            }
            let (visit, created) = try await visits.request(id: body.id, caseID: body.caseId, grid: body.gridCode, dueBy: body.dueBy, by: principal)
            return try APICoding.response(created ? .created : .ok, visit)
        }

        routes.add(
            APIOperation(
                .get, "/v1/visit-requests", id: "listVisitRequests", summary: "Open visit requests in your area", tag: "visits",
                access: .roles(.gridWorker, .streetOfficer, .communityStaff, .commandCentre),
                replies: [.init(200, "Open requests", Schema.array(visitSchema))])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await visits.open(for: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/visit-requests/{id}/report", id: "reportVisit", summary: "Report the visit (outcome code only)", tag: "visits",
                access: .roles(.gridWorker), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("visited_at", Schema.dateTime), ("outcome", Schema.string(enum: VisitRequests.outcomes))], required: ["visited_at", "outcome"]),
                replies: [.init(200, "Reported", visitSchema), .init(404, "No such request in your grid"), .init(409, "Reported already")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Report.self, from: request, context: context)
            guard VisitRequests.outcomes.contains(body.outcome) else {
                throw Problem.validation([.init(field: "outcome", message: "must be one of \(VisitRequests.outcomes.joined(separator: ", "))")])
            }
            return try APICoding.response(.ok, try await visits.report(try context.uuid("id"), visitedAt: body.visitedAt, outcome: body.outcome, by: principal))
        }
    }
}

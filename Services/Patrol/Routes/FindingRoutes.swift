import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/findings`: grid workers submit findings; staff read them within their scope.
enum FindingRoutes {
    static func register(on routes: APIRoutes, store: FindingStore) {
        routes.add(
            Operation(
                .post, "/v1/findings", id: "submitFinding", summary: "Submit a finding from a patrol (idempotent by id)", tag: "findings",
                body: submissionSchema,
                replies: [.init(201, "Stored", findingSchema), .init(200, "Already stored: the first result", findingSchema), .init(409, "The id is used by another submission")])
        ) { request, context in
            let principal = try context.require(.gridWorker)
            let submission = try await APICoding.decode(FindingSubmission.self, from: request, context: context)
            try validate(submission)
            do {
                switch try await store.submit(submission, by: principal) {
                case .created(let finding): return try APICoding.response(.created, finding, headers: [.location: "/v1/findings/\(finding.id.uuidString.lowercased())"])
                case .repeated(let finding): return try APICoding.response(.ok, finding)
                }
            } catch let error as FindingStore.SubmitError {
                switch error {
                case .notAGridWorker: throw Problem.forbidden("only a grid worker scoped to a grid submits findings")
                case .unknownGrid: throw Problem.forbidden("the token's grid does not exist")
                case .outsideGrid:
                    throw Problem(
                        .unprocessableContent, code: "outside-grid", title: "The location is outside your grid",
                        detail: "findings are refused when the location lies outside the reporter's grid",
                        errors: [.init(field: "latitude", message: "outside the grid"), .init(field: "longitude", message: "outside the grid")])
                case .idTaken: throw Problem.conflict("id-taken", "this id belongs to a different submission")
                }
            }
        }

        routes.add(
            Operation(
                .get, "/v1/findings/{id}", id: "getFinding", summary: "One finding, if within your scope", tag: "findings",
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The finding", findingSchema), .init(404, "No such finding in your scope")])
        ) { _, context in
            let principal = try context.authenticated()
            guard let id = UUID(uuidString: try context.parameters.require("id")) else {
                throw Problem.badRequest("the id is not a UUID", errors: [.init(field: "id", message: "must be a UUID")])
            }
            guard let finding = try await store.finding(id: id, for: principal) else { throw Problem.notFound("no such finding in your scope") }
            return try APICoding.response(.ok, finding)
        }
    }

    static func validate(_ submission: FindingSubmission) throws {
        var errors: [Problem.FieldError] = []
        if FindingCategory(rawValue: submission.category) == nil {
            errors.append(.init(field: "category", message: "must be one of \(FindingCategory.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let description = submission.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty || submission.description.count > 2000 {
            errors.append(.init(field: "description", message: "must be 1 to 2000 characters"))
        }
        if (submission.latitude == nil) != (submission.longitude == nil) {
            errors.append(.init(field: submission.latitude == nil ? "latitude" : "longitude", message: "latitude and longitude go together"))
        }
        if let latitude = submission.latitude, !(-90...90).contains(latitude) { errors.append(.init(field: "latitude", message: "must be within -90 and 90")) }
        if let longitude = submission.longitude, !(-180...180).contains(longitude) { errors.append(.init(field: "longitude", message: "must be within -180 and 180")) }
        if submission.observedAt > Date().addingTimeInterval(300) { errors.append(.init(field: "observed_at", message: "must not be in the future")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    static let submissionSchema = Schema.object(
        [
            ("id", Schema.string("Made by the phone; a retry sends the same id", format: "uuid")),
            ("category", Schema.string(enum: FindingCategory.allCases.map(\.rawValue))),
            ("description", Schema.string(maxLength: 2000)),
            ("latitude", Schema.number("WGS84", minimum: -90, maximum: 90)), ("longitude", Schema.number("WGS84", minimum: -180, maximum: 180)),
            ("observed_at", Schema.dateTime),
        ], required: ["id", "category", "description", "observed_at"])

    static let findingSchema = Schema.object(
        [
            ("id", Schema.uuid), ("grid_code", Schema.string()), ("community_code", Schema.string()), ("street_code", Schema.string()),
            ("category", Schema.string()), ("description", Schema.string()), ("latitude", Schema.number()), ("longitude", Schema.number()),
            ("observed_at", Schema.dateTime), ("submitted_at", Schema.dateTime), ("reporter", Schema.string()), ("state", Schema.string()),
        ], required: ["id", "grid_code", "community_code", "street_code", "category", "description", "observed_at", "submitted_at", "reporter", "state"])
}

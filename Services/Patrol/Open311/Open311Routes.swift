import Daemon
import Foundation
import GridCore
import Hummingbird
import Postgres

/// Open311 GeoReport v2 (JSON) under `/open311/v2`. The key is a bearer token in the header or an
/// Open311 key (`Open311Keys`) in the `api_key` parameter; errors are the spec's error array. Clue categories are not services, and clues are
/// in a table these routes never read.
enum Open311Routes {
    typealias Handler = @Sendable (Request, DaemonRequestContext, Principal) async throws -> Response

    static func register(on routes: APIRoutes, store: FindingStore, verifier: TokenVerifier, keys: Open311Keys, jurisdiction: String) {
        let errorReply = APIOperation.Reply(
            400, "The spec's error array", Schema.array(Schema.object([("code", Schema.integer()), ("description", Schema.string())])))
        let keyParameters: [APIOperation.Parameter] = [
            .query("api_key", Schema.string(), "an Open311 key issued to the client (gm311_…), when no Authorization header is sent"),
            .query("jurisdiction_id"),
        ]
        // the roles FindingVisibility.policy lets read findings
        let readers = Access.roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector, orKey: "api_key")
        // FindingStore.submit: a grid worker scoped to a grid
        let reporters = Access.roles(.gridWorker, orKey: "api_key")

        routes.add(
            APIOperation(
                .get, "/open311/v2/services.json", id: "open311Services", summary: "Open311: the service list (service discovery needs no key)",
                tag: "open311", access: .anyone, parameters: [.query("jurisdiction_id")],
                replies: [.init(200, "Services", Schema.array(["type": "object"])), errorReply])
        ) { request, context in
            try await open311Public(request, context, jurisdiction: jurisdiction) { request, _ in
                let english = Language.prefersEnglish(request)
                let services = try await store.pool.withConnection { try Catalogue.all(on: $0) }.filter { $0.kind == .finding }.map { category in
                    Open311.Service(
                        serviceCode: category.code, serviceName: english ? category.nameEn : category.nameZh,
                        description: english ? category.descriptionEn : category.descriptionZh, metadata: !category.attributes.isEmpty, keywords: "",
                        group: english ? (category.agencyKind?.nameEn ?? "") : (category.agencyKind?.nameZh ?? ""))
                }
                return try APICoding.response(.ok, services)
            }
        }

        routes.add(
            APIOperation(
                .get, "/open311/v2/services/{code}.json", id: "open311ServiceDefinition",
                summary: "Open311: a service's attributes (service discovery needs no key)", tag: "open311", access: .anyone,
                parameters: [.path("code"), .query("jurisdiction_id")], replies: [.init(200, "Definition", ["type": "object"]), errorReply])
        ) { request, context in
            try await open311Public(request, context, jurisdiction: jurisdiction) { _, context in
                let code = try context.parameters.require("code")
                guard let category = try await store.pool.withConnection({ try Catalogue.category(code, on: $0) }), category.kind == .finding else {
                    throw Problem.notFound("no service \(code)")
                }
                let attributes = category.attributes.enumerated().map { index, attribute in
                    Open311.Attribute(
                        code: attribute.code, datatype: attribute.datatype, required: attribute.required, datatypeDescription: nil, order: index + 1,
                        description: attribute.description, values: attribute.values?.map { Open311.Value(key: $0.key, name: $0.name) })
                }
                return try APICoding.response(.ok, Open311.Definition(serviceCode: category.code, attributes: attributes))
            }
        }

        routes.add(
            APIOperation(
                .get, "/open311/v2/requests.json", id: "open311Requests", summary: "Open311: service requests within your scope", tag: "open311",
                access: readers,
                parameters: keyParameters + [
                    .query("service_request_id"), .query("service_code"), .query("start_date", Schema.dateTime), .query("end_date", Schema.dateTime),
                    .query("status", Schema.string(enum: ["open", "closed"])),
                ],
                replies: [.init(200, "Requests", Schema.array(["type": "object"])), errorReply])
        ) { request, context in
            try await open311(request, context, access: readers, verifier: verifier, keys: keys, jurisdiction: jurisdiction) { request, _, principal in
                let query = request.uri.queryParameters
                var findings: [Finding] = []
                if let ids = query.get("service_request_id") {
                    for text in ids.split(separator: ",").prefix(200) {
                        guard let id = UUID(uuidString: String(text)) else { throw Problem.badRequest("service_request_id \(text) is not a request id") }
                        if let finding = try await store.finding(id: id, for: principal) { findings.append(finding) }
                    }
                } else {
                    var filter = LedgerFilter()
                    filter.category = query.get("service_code")
                    filter.limit = 200
                    if let text = query.get("start_date") {
                        guard let date = RFC3339.parse(text) else { throw Problem.badRequest("start_date must be a w3 datetime") }
                        filter.submittedFrom = date
                    }
                    if let text = query.get("end_date") {
                        guard let date = RFC3339.parse(text) else { throw Problem.badRequest("end_date must be a w3 datetime") }
                        filter.submittedTo = date
                    }
                    switch query.get("status") {
                    case nil: break
                    case "open": filter.finished = false
                    case "closed": filter.finished = true
                    default: throw Problem.badRequest("status must be open or closed")
                    }
                    findings = try await store.list(filter, for: principal)
                }
                return try APICoding.response(.ok, try await serviceRequests(findings, english: Language.prefersEnglish(request), pool: store.pool))
            }
        }

        routes.add(
            APIOperation(
                .get, "/open311/v2/requests/{id}.json", id: "open311Request", summary: "Open311: one service request", tag: "open311", access: readers,
                parameters: [.path("id", Schema.uuid)] + keyParameters,
                replies: [.init(200, "The request, in an array", Schema.array(["type": "object"])), errorReply])
        ) { request, context in
            try await open311(request, context, access: readers, verifier: verifier, keys: keys, jurisdiction: jurisdiction) { request, context, principal in
                guard let id = UUID(uuidString: try context.parameters.require("id")), let finding = try await store.finding(id: id, for: principal) else {
                    throw Problem.notFound("no such service request")
                }
                return try APICoding.response(.ok, try await serviceRequests([finding], english: Language.prefersEnglish(request), pool: store.pool))
            }
        }

        routes.add(
            APIOperation(
                .post, "/open311/v2/requests.json", id: "open311CreateRequest",
                summary: "Open311: a grid worker reports (form-encoded; Idempotency-Key makes retries safe)", tag: "open311", access: reporters,
                parameters: keyParameters + [.header("Idempotency-Key", Schema.uuid)],
                replies: [.init(201, "Created", Schema.array(["type": "object"])), .init(200, "Already created", Schema.array(["type": "object"])), errorReply])
        ) { request, context in
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let text = String(buffer: buffer)
            return try await open311(request, context, access: reporters, verifier: verifier, keys: keys, jurisdiction: jurisdiction, form: FormBody(text)) {
                request, _, principal in
                guard let form = FormBody(text) else { throw Problem.badRequest("the body is not form-encoded") }
                guard let code = form["service_code"], !code.isEmpty else { throw Problem.badRequest("service_code is required") }
                let id: UUID
                if let key = request.headers[.idempotencyKey] {
                    guard let parsed = UUID(uuidString: key) else { throw Problem.badRequest("Idempotency-Key must be a UUID") }
                    id = parsed
                } else {
                    id = .v7()
                }
                var submission = FindingSubmission(
                    id: id, category: code, description: form["description"] ?? "", latitude: nil, longitude: nil, coordSystem: nil,
                    address: form["address_string"], attributes: form.bracketed("attribute"), observedAt: store.clock.now(), patrolId: nil)
                if let lat = form["lat"] {
                    guard let value = Double(lat) else { throw Problem.badRequest("lat must be a number") }
                    submission.latitude = value
                }
                if let long = form["long"] {
                    guard let value = Double(long) else { throw Problem.badRequest("long must be a number") }
                    submission.longitude = value
                }
                if submission.attributes?.isEmpty == true { submission.attributes = nil }
                try FindingRoutes.validate(submission, now: store.clock.now())
                // a clue is never an Open311 service
                let isClue = try await store.pool.withConnection { try Catalogue.category(code, on: $0)?.kind == .clue }
                if isClue { throw Problem.badRequest("service_code \(code) is not a service") }
                switch try await store.submit(submission, by: principal, sameObservation: false) {
                case .created(let finding):
                    return try APICoding.response(
                        .created, [Open311.Created(serviceRequestId: finding.id.uuidString.lowercased(), serviceNotice: nil, accountId: nil)])
                case .repeated(let finding):
                    return try APICoding.response(
                        .ok, [Open311.Created(serviceRequestId: finding.id.uuidString.lowercased(), serviceNotice: nil, accountId: nil)])
                case .clue:
                    throw Problem.badRequest("service_code \(code) is not a service")
                }
            }
        }
    }

    /// Authenticates by bearer token or Open311 key (`api_key`), admits the principal through the operation's
    /// `access` (403 for another role), checks `jurisdiction_id`, runs the handler and turns any
    /// failure into the spec's error array with the same status.
    static func open311(
        _ request: Request, _ context: DaemonRequestContext, access: Access, verifier: TokenVerifier, keys: any APIKeys, jurisdiction: String,
        form: FormBody? = nil,
        _ handler: Handler
    ) async throws -> Response {
        try await inOpen311Errors(context) {
            let query = request.uri.queryParameters
            try check(jurisdiction: query.get("jurisdiction_id") ?? form?["jurisdiction_id"], served: jurisdiction)
            return try await handler(request, context, try await access.principal(of: request, form: form, verifier: verifier, keys: keys))
        }
    }

    /// Service discovery: no key, as GeoReport v2 has it; `jurisdiction_id` checked, failures in the spec's error array.
    static func open311Public(
        _ request: Request, _ context: DaemonRequestContext, jurisdiction: String,
        _ handler: @Sendable (Request, DaemonRequestContext) async throws -> Response
    ) async throws -> Response {
        try await inOpen311Errors(context) {
            try check(jurisdiction: request.uri.queryParameters.get("jurisdiction_id"), served: jurisdiction)
            return try await handler(request, context)
        }
    }

    static func check(jurisdiction given: String?, served: String) throws {
        if let given, given != served { throw Problem.notFound("jurisdiction_id \(given) is not served here") }
    }

    /// `body`'s response, or its failure as the spec's error array with the same status.
    static func inOpen311Errors(_ context: DaemonRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            let problem = RequestMiddleware.problem(for: error, logger: context.logger)
            let description =
                problem.errors.isEmpty ? (problem.detail ?? problem.title) : problem.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            return try APICoding.response(problem.status, [Open311.Error(code: Int(problem.status.code), description: description)])
        }
    }

    static func serviceRequests(_ findings: [Finding], english: Bool, pool: PostgresPool) async throws -> [Open311.ServiceRequest] {
        let (categories, agencies) = try await pool.withConnection { connection in
            let categories = Dictionary(uniqueKeysWithValues: try Catalogue.all(on: connection).map { ($0.code, english ? $0.nameEn : $0.nameZh) })
            var agencies: [String: String] = [:]
            for row in try connection.query("SELECT code, name_zh, name_en FROM geo.agencies") {
                agencies[try row.decode(at: 0)] = try row.decode(String.self, at: english ? 2 : 1)
            }
            return (categories, agencies)
        }
        return findings.map { finding in
            Open311.ServiceRequest(
                serviceRequestId: finding.id.uuidString.lowercased(),
                status: [.closed, .rejected, .merged].contains(finding.state) ? "closed" : "open",
                statusNotes: english ? finding.state.rawValue : finding.state.nameZh, serviceName: categories[finding.category] ?? finding.category,
                serviceCode: finding.category, description: finding.description, agencyResponsible: finding.agencyCode.map { agencies[$0] ?? $0 },
                serviceNotice: nil, requestedDatetime: finding.submittedAt, updatedDatetime: finding.updatedAt, expectedDatetime: finding.deadlineAt,
                address: finding.address, addressId: nil, zipcode: nil, lat: finding.latitude, long: finding.longitude, mediaUrl: nil)
        }
    }
}

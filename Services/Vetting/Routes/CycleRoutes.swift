import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/cycles`: election cycles, their gates, campaigns, contingency plan and the steps to the election.
enum CycleRoutes {
    struct NewCycle: Decodable {
        let id: UUID
        let communityCode: String
        let term: String
        let plannedElectionOn: CalendarDate
    }

    struct SignOff: Decodable {
        let decision: String
        let findings: String
        let evidence: [String]?
    }

    struct Mark: Decodable {
        let done: Bool
        let note: String?
    }

    struct Plan: Decodable {
        let plan: String
    }

    struct Confirm: Decodable {
        let electionOn: CalendarDate
    }

    static let cycleSchema = Schema.object([
        ("id", Schema.uuid), ("community_code", Schema.string()), ("street_code", Schema.string()), ("term", Schema.string()),
        ("planned_election_on", Schema.string(format: "date")), ("confirmed_election_on", Schema.string(format: "date")),
        ("state", Schema.string(enum: ["preparing", "blocked", "ready", "confirmed", "election"])), ("contingency_plan", Schema.string()),
    ])
    static let detailSchema = Schema.object([
        ("cycle", cycleSchema), ("gates", Schema.array(["type": "object"])), ("campaigns", Schema.array(["type": "object"])),
        ("blockers", Schema.array(Schema.string())),
    ])

    static func gate(_ context: DaemonRequestContext) throws -> VettingGate {
        guard let text = context.parameters.get("gate"), let gate = VettingGate(rawValue: text) else {
            throw Problem.notFound("gates are \(VettingGate.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return gate
    }

    static func register(on routes: APIRoutes, store: CycleStore) {
        routes.add(
            APIOperation(
                .post, "/v1/cycles", id: "createCycle", summary: "Open a community's election cycle (idempotent by id)",
                tag: "cycles", access: .roles(.electionOfficer),
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("community_code", Schema.string()), ("term", Schema.string("the election year")),
                        ("planned_election_on", Schema.string(format: "date")),
                    ],
                    required: ["id", "community_code", "term", "planned_election_on"]),
                replies: [.init(201, "Opened", cycleSchema), .init(200, "Opened before", cycleSchema), .init(409, "The community has a cycle for the term")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(NewCycle.self, from: request, context: context)
            let (cycle, created) = try await store.create(
                id: body.id, community: body.communityCode, term: body.term, plannedElectionOn: body.plannedElectionOn, by: principal)
            return try APICoding.response(created ? .created : .ok, cycle)
        }

        routes.add(
            APIOperation(
                .get, "/v1/cycles", id: "listCycles", summary: "Cycles of your street (the command centre: any street)",
                tag: "cycles", access: .roles(.electionOfficer, .commandCentre),
                parameters: [.query("street", Schema.string()), .query("term", Schema.string())], replies: [.init(200, "Cycles", Schema.array(cycleSchema))])
        ) { request, context in
            try APICoding.response(
                .ok,
                try await store.list(
                    for: try context.authenticated(), street: request.uri.queryParameters.get("street"), term: request.uri.queryParameters.get("term")))
        }

        routes.add(
            APIOperation(
                .get, "/v1/cycles/{id}", id: "getCycle", summary: "A cycle with its gates, sign-offs, campaigns and what holds it up",
                tag: "cycles", access: .roles(.electionOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The cycle", detailSchema)])
        ) { _, context in
            try APICoding.response(.ok, try await store.detail(try context.uuid("id"), for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/gates/{gate}/start", id: "startGate",
                summary: "Start a gate (a failed one restarts only after rectification passed again)", tag: "gates", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid), .path("gate", Schema.string(enum: VettingGate.allCases.map(\.rawValue)))],
                replies: [.init(200, "Started", detailSchema), .init(409, "Not startable now")])
        ) { _, context in
            try APICoding.response(.ok, try await store.start(try context.uuid("id"), gate: try gate(context), by: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/gates/{gate}/signoffs", id: "signGate",
                summary: "Sign a gate off: two different officers' pass passes it; one fail fails it", tag: "gates", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid), .path("gate", Schema.string(enum: VettingGate.allCases.map(\.rawValue)))],
                body: Schema.object(
                    [
                        ("decision", Schema.string(enum: ["pass", "fail"])), ("findings", Schema.string(maxLength: 4000)),
                        ("evidence", Schema.array(Schema.string(maxLength: 500))),
                    ], required: ["decision", "findings"]),
                replies: [.init(200, "Signed", detailSchema), .init(409, "Signed already, not in progress, or a checklist is open")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(SignOff.self, from: request, context: context)
            return try APICoding.response(
                .ok,
                try await store.signOff(
                    try context.uuid("id"), gate: try gate(context), decision: body.decision, findings: body.findings, evidence: body.evidence ?? [],
                    by: principal))
        }

        routes.add(
            APIOperation(
                .put, "/v1/cycles/{id}/campaigns/{campaign}/{item}", id: "markCampaignItem", summary: "Tick or untick a campaign checklist item",
                tag: "campaigns", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid), .path("campaign", Schema.string(enum: Campaign.allCases.map(\.rawValue))), .path("item")],
                body: Schema.object([("done", Schema.boolean), ("note", Schema.string(maxLength: 2000))], required: ["done"]),
                replies: [.init(200, "The cycle", detailSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            guard let text = context.parameters.get("campaign"), let campaign = Campaign(rawValue: text) else {
                throw Problem.notFound("campaigns are \(Campaign.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let body = try await APICoding.decode(Mark.self, from: request, context: context)
            return try APICoding.response(
                .ok,
                try await store.mark(
                    try context.uuid("id"), campaign: campaign, item: context.parameters.get("item") ?? "", done: body.done, note: body.note, by: principal))
        }

        routes.add(
            APIOperation(
                .put, "/v1/cycles/{id}/contingency-plan", id: "recordContingencyPlan", summary: "Record the contingency plan (换届工作预案)",
                tag: "cycles", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("plan", Schema.string(maxLength: 20000))], required: ["plan"]),
                replies: [.init(200, "The cycle", detailSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Plan.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.recordPlan(try context.uuid("id"), plan: body.plan, by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/confirm", id: "confirmElection",
                summary: "Confirm the election date: only when every gate passed and a plan is on file",
                tag: "cycles", access: .roles(.electionOfficer), parameters: [.path("id", Schema.uuid)],
                body: Schema.object([("election_on", Schema.string(format: "date"))], required: ["election_on"]),
                replies: [.init(200, "Confirmed", detailSchema), .init(409, "Not ready")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Confirm.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.advance(try context.uuid("id"), to: "confirm", electionOn: body.electionOn, by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/election", id: "startElection", summary: "Move a confirmed, ready cycle to the election",
                tag: "cycles", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "In election", detailSchema), .init(409, "Not ready or not confirmed")])
        ) { _, context in
            try APICoding.response(.ok, try await store.advance(try context.uuid("id"), to: "election", electionOn: nil, by: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .get, "/v1/readiness", id: "readinessBoard",
                summary: "The readiness board of the district or a street (JSON, or HTML with format=html)",
                tag: "board", access: .roles(.electionOfficer, .commandCentre),
                parameters: [
                    .query("scope", Schema.string("district or street:CODE")), .query("term", Schema.string("default: this year")),
                    .query("format", Schema.string(enum: ["json", "html"])),
                ],
                replies: [.init(200, "The board", ["type": "object"]), .init(200, "A printable page", Schema.string(), contentType: "text/html")])
        ) { request, context in
            let principal = try context.authenticated()
            let text = request.uri.queryParameters.get("scope") ?? (principal.scope.level == .street ? principal.scope.description : "district")
            guard let scope = Scope(text) else {
                throw Problem.badRequest("scope must be district or street:CODE", errors: [.init(field: "scope", message: Scope.expectedForm)])
            }
            let term = request.uri.queryParameters.get("term") ?? String(WorkingCalendar().day(of: store.clock.now()).year)
            let board = try await store.board(scope: scope, term: term, for: principal)
            return HTMLPage.wanted(request) ? HTMLPage.response(BoardPage.html(board)) : try APICoding.response(.ok, board)
        }
    }
}

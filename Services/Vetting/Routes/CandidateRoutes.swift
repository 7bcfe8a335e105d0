import Daemon
import Foundation
import GridCore
import Hummingbird

/// Candidates: nomination, screening (audited reads), review, notice and response, decision, reserve.
enum CandidateRoutes {
    struct Check: Decodable {
        let result: String
        let note: String?
    }

    struct Review: Decodable {
        let decision: String
        let reasons: [String]?
    }

    struct Response: Decodable {
        let text: String
    }

    struct Decision: Decodable {
        let decision: String
        let reason: String
    }

    struct Reserve: Decodable {
        let candidateId: UUID
    }

    struct Promote: Decodable {
        let seat: String
    }

    static let candidateSchema = Schema.object([
        ("id", Schema.uuid), ("cycle_id", Schema.uuid), ("seat", Schema.string(enum: CandidateStore.seats)),
        ("state", Schema.string(enum: ["screening", "clear", "consider", "notified", "rejected", "cleared"])), ("nominated_by", Schema.string()),
        ("review_reasons", Schema.array(Schema.string(enum: ScreeningCheck.reasonCodes))), ("response_due_at", Schema.dateTime),
    ])

    static func register(on routes: APIRoutes, store: CandidateStore) {
        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/candidates", id: "nominateCandidate", summary: "Nominate a candidate; the screening package starts (idempotent by id)",
                tag: "candidates", access: .roles(.electionOfficer), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("seat", Schema.string(enum: CandidateStore.seats)),
                        (
                            "person",
                            Schema.object(
                                [
                                    ("name", Schema.string(maxLength: 100)), ("national_id", Schema.string()), ("gender", Schema.string()),
                                    ("date_of_birth", Schema.string(format: "date")), ("education", Schema.string()), ("party_member", Schema.boolean),
                                    ("phone", Schema.string()),
                                ], required: ["name", "national_id"])
                        ),
                    ], required: ["id", "seat", "person"]),
                replies: [
                    .init(201, "Nominated", candidateSchema), .init(200, "Nominated before", candidateSchema),
                    .init(
                        429, "More nominations in 24 hours than GRIDMESH_VETTING_NOMINATIONS_PER_DAY (audited)", Schema.ref("Problem"),
                        contentType: "application/problem+json"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(CandidateStore.Nomination.self, from: request, context: context)
            let (candidate, created) = try await store.nominate(body, in: try context.uuid("id"), by: principal, requestID: context.requestID)
            return try APICoding.response(created ? .created : .ok, candidate)
        }

        routes.add(
            APIOperation(
                .get, "/v1/cycles/{id}/candidates", id: "listCandidates", summary: "A cycle's candidates, no identities (audited)",
                tag: "candidates", access: .roles(.electionOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Candidates", Schema.array(candidateSchema))])
        ) { _, context in
            try APICoding.response(.ok, try await store.list(in: try context.uuid("id"), for: try context.authenticated(), requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .get, "/v1/candidates/{id}", id: "getCandidate", summary: "The screening record with the identity (audited)",
                tag: "candidates", access: .roles(.electionOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The screening", ["type": "object"])])
        ) { _, context in
            try APICoding.response(.ok, try await store.detail(try context.uuid("id"), for: try context.authenticated(), requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/candidates/{id}/checks/{kind}", id: "recordCheck", summary: "Record a manual check: discipline record or qualifications",
                tag: "candidates", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid), .path("kind", Schema.string(enum: ScreeningCheck.manual))],
                body: Schema.object([("result", Schema.string(enum: ["pass", "fail"])), ("note", Schema.string(maxLength: 2000))], required: ["result"]),
                replies: [.init(200, "The screening", ["type": "object"])])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Check.self, from: request, context: context)
            return try APICoding.response(
                .ok,
                try await store.recordCheck(
                    try context.uuid("id"), kind: context.parameters.get("kind") ?? "", result: body.result, note: body.note, by: principal,
                    requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/candidates/{id}/review", id: "reviewCandidate",
                summary: "A second officer reviews a \"consider\": adverse (coded reasons; the candidate is notified) or clear",
                tag: "candidates", access: .roles(.electionOfficer), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("decision", Schema.string(enum: ["adverse", "clear"])), ("reasons", Schema.array(Schema.string(enum: ScreeningCheck.reasonCodes)))],
                    required: ["decision"]),
                replies: [.init(200, "Reviewed", candidateSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Review.self, from: request, context: context)
            return try APICoding.response(
                .ok,
                try await store.review(
                    try context.uuid("id"), decision: body.decision, reasons: body.reasons ?? [], by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/candidates/{id}/response", id: "recordResponse", summary: "The candidate's response to the notice, before the deadline",
                tag: "candidates", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("text", Schema.string(maxLength: 10000))], required: ["text"]),
                replies: [.init(200, "Recorded", candidateSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Response.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.respond(try context.uuid("id"), text: body.text, by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .post, "/v1/candidates/{id}/decision", id: "decideCandidate", summary: "The final decision once the candidate responded or the deadline passed",
                tag: "candidates", access: .roles(.electionOfficer), parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("decision", Schema.string(enum: ["uphold", "withdraw"])), ("reason", Schema.string())], required: ["decision", "reason"]),
                replies: [.init(200, "Decided", candidateSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Decision.self, from: request, context: context)
            return try APICoding.response(
                .ok, try await store.decide(try context.uuid("id"), decision: body.decision, reason: body.reason, by: principal, requestID: context.requestID))
        }

        routes.add(
            APIOperation(
                .get, "/v1/cycles/{id}/reserve", id: "listReserve", summary: "The reserve pool (储备), in order",
                tag: "reserve", access: .roles(.electionOfficer, .commandCentre),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "The reserve", Schema.array(["type": "object"]))])
        ) { _, context in
            try APICoding.response(.ok, try await store.reserve(in: try context.uuid("id"), for: try context.authenticated()))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/reserve", id: "addToReserve", summary: "Hold a cleared candidate in the reserve",
                tag: "reserve", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("candidate_id", Schema.uuid)], required: ["candidate_id"]),
                replies: [.init(200, "The reserve", Schema.array(["type": "object"]))])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Reserve.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.addToReserve(body.candidateId, in: try context.uuid("id"), by: principal))
        }

        routes.add(
            APIOperation(
                .post, "/v1/cycles/{id}/reserve/promote", id: "promoteFromReserve", summary: "A seat opened: promote the first held candidate",
                tag: "reserve", access: .roles(.electionOfficer),
                parameters: [.path("id", Schema.uuid)], body: Schema.object([("seat", Schema.string(enum: CandidateStore.seats))], required: ["seat"]),
                replies: [.init(200, "Promoted", ["type": "object"]), .init(409, "The reserve is empty")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Promote.self, from: request, context: context)
            return try APICoding.response(.ok, try await store.promote(in: try context.uuid("id"), seat: body.seat, by: principal))
        }
    }
}

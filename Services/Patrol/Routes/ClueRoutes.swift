import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/clues`: the confidential clue ledger, for the command centre and discipline inspectors.
enum ClueRoutes {
    struct Detail: Encodable {
        let clue: Clue
        let transfers: [ClueTransfer]
    }

    struct Page: Encodable {
        let items: [Clue]
        let nextCursor: String?
    }

    struct Transfer: Decodable {
        let direction: String
        let note: String?
        let externalRef: String?
    }

    static let clueSchema = Schema.object([
        ("id", Schema.uuid), ("category", Schema.string()), ("channel", Schema.string(enum: ["patrol", "phone", "mailbox", "email"])),
        ("grid_code", Schema.string()), ("street_code", Schema.string()), ("summary", Schema.string()), ("latitude", Schema.number()),
        ("longitude", Schema.number()), ("address", Schema.string()), ("reporter", Schema.string()), ("reporter_contact", Schema.string()),
        ("observed_at", Schema.dateTime), ("received_at", Schema.dateTime), ("recorded_by", Schema.string()),
        ("state", Schema.string(enum: ["received", "verifying", "transferred", "closed"])), ("updated_at", Schema.dateTime),
    ])

    static func register(on routes: APIRoutes, ledger: ClueLedger) {
        routes.add(
            APIOperation(
                .post, "/v1/clues", id: "recordClue", summary: "Record a tip-off from the phone line, the mailbox or email", tag: "clues",
                access: .roles(.commandCentre, .disciplineInspector),
                body: Schema.object(
                    [
                        ("id", Schema.uuid), ("category", Schema.string()), ("channel", Schema.string(enum: ["phone", "mailbox", "email"])),
                        ("summary", Schema.string(maxLength: 4000)), ("street_code", Schema.string()), ("grid_code", Schema.string()),
                        ("address", Schema.string(maxLength: 200)), ("reporter", Schema.string(maxLength: 200)),
                        ("reporter_contact", Schema.string(maxLength: 200)),
                        ("observed_at", Schema.dateTime),
                    ], required: ["id", "category", "channel", "summary", "reporter", "observed_at"]),
                replies: [.init(201, "Recorded", clueSchema), .init(200, "Already recorded", clueSchema)])
        ) { request, context in
            let principal = try context.authenticated()
            try ClueLedger.requireReader(principal)
            let tip = try await APICoding.decode(TipOff.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if !["phone", "mailbox", "email"].contains(tip.channel) { errors.append(.init(field: "channel", message: "must be phone, mailbox or email")) }
            if tip.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || tip.summary.length > 4000 {
                errors.append(.init(field: "summary", message: "must be 1 to 4000 characters"))
            }
            if tip.reporter.isEmpty || tip.reporter.length > 200 { errors.append(.init(field: "reporter", message: "must be 1 to 200 characters")) }
            if (tip.reporterContact?.length ?? 0) > 200 { errors.append(.init(field: "reporter_contact", message: "at most 200 characters")) }
            if (tip.address?.length ?? 0) > 200 { errors.append(.init(field: "address", message: "at most 200 characters")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let (clue, created) = try await ledger.record(tip, by: principal, requestID: context.requestID)
            return try APICoding.response(created ? .created : .ok, clue)
        }

        routes.add(
            APIOperation(
                .get, "/v1/clues", id: "listClues", summary: "The clue ledger, newest first (each clue listed is an audited read)", tag: "clues",
                access: .roles(.commandCentre, .disciplineInspector),
                parameters: [.query("limit", Schema.integer(minimum: 1, maximum: 200)), .query("cursor")],
                replies: [
                    .init(
                        200, "A page of clues",
                        Schema.object([("items", Schema.array(clueSchema)), ("next_cursor", Schema.nullable(Schema.string()))], required: ["items"]))
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let limit = try Pagination.limit(request)
            let clues = try await ledger.list(for: principal, limit: limit, after: try Pagination.cursor(request), requestID: context.requestID)
            let next = clues.count == limit ? clues.last.map { Pagination.encode($0.receivedAt, $0.id) } : nil
            return try APICoding.response(.ok, Page(items: clues, nextCursor: next))
        }

        routes.add(
            APIOperation(
                .get, "/v1/clues/{id}", id: "getClue", summary: "One clue and its transfers (an audited read)", tag: "clues",
                access: .roles(.commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)],
                replies: [
                    .init(200, "The clue", Schema.object([("clue", clueSchema), ("transfers", Schema.array(["type": "object"]))])), .init(404, "No such clue"),
                ])
        ) { _, context in
            let principal = try context.authenticated()
            guard let (clue, transfers) = try await ledger.clue(try context.uuid("id"), for: principal, requestID: context.requestID) else {
                throw Problem.notFound("no such clue")
            }
            return try APICoding.response(.ok, Detail(clue: clue, transfers: transfers))
        }

        routes.add(
            APIOperation(
                .post, "/v1/clues/{id}/transfers", id: "transferClue", summary: "Transfer a clue to the discipline commission, or record one from it",
                tag: "clues", access: .roles(.commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [
                        ("direction", Schema.string(enum: ["to_commission", "from_commission"])), ("note", Schema.string(maxLength: 1000)),
                        ("external_ref", Schema.string(maxLength: 100)),
                    ],
                    required: ["direction"]),
                replies: [.init(200, "Transferred", clueSchema), .init(404, "No such clue")])
        ) { request, context in
            let principal = try context.authenticated()
            try ClueLedger.requireReader(principal)
            let body = try await APICoding.decode(Transfer.self, from: request, context: context)
            var errors: [Problem.FieldError] = []
            if !["to_commission", "from_commission"].contains(body.direction) {
                errors.append(.init(field: "direction", message: "must be to_commission or from_commission"))
            }
            if (body.note?.length ?? 0) > 1000 { errors.append(.init(field: "note", message: "at most 1000 characters")) }
            if (body.externalRef?.length ?? 0) > 100 { errors.append(.init(field: "external_ref", message: "at most 100 characters")) }
            if !errors.isEmpty { throw Problem.validation(errors) }
            let clue = try await ledger.transfer(
                try context.uuid("id"), direction: body.direction, note: body.note, externalRef: body.externalRef, by: principal,
                requestID: context.requestID)
            return try APICoding.response(.ok, clue)
        }
    }
}

/// Persons named in clues (`POST /v1/clues/{id}/named-persons`) and vettingd's hit/no-hit question (`POST /v1/clue-checks`).
enum CluePersonRoutes {
    struct Named: Decodable {
        let nationalId: String
        let role: String?
    }

    static func register(on routes: APIRoutes, persons: CluePersons) {
        routes.add(
            APIOperation(
                .post, "/v1/clues/{id}/named-persons", id: "nameCluePerson",
                summary: "Record that a clue names a person (kept only as the keyed HMAC of the ID number)", tag: "clues",
                access: .roles(.commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)],
                body: Schema.object(
                    [("national_id", Schema.string("18-character resident ID number")), ("role", Schema.string(enum: CluePersons.roles))],
                    required: ["national_id"]),
                replies: [.init(204, "Recorded"), .init(404, "No such clue"), .init(503, "No lookup key configured")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(Named.self, from: request, context: context)
            try await persons.name(body.nationalId, role: body.role ?? "suspect", in: try context.uuid("id"), by: principal, requestID: context.requestID)
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .post, "/v1/clue-checks", id: "clueCheck",
                summary: "Does any clue name the person with this ID-number HMAC? Hit or no hit, nothing else (vetting service only; audited)", tag: "clues",
                access: .roles(.service),
                body: Schema.object(
                    [("id_number_hmac", Schema.string("hex HMAC-SHA256 of the ID number under the shared lookup key"))], required: ["id_number_hmac"]),
                replies: [.init(200, "The answer", Schema.object([("hit", Schema.boolean)])), .init(403, "Not the vetting service")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(HitCheck.Question.self, from: request, context: context)
            return try APICoding.response(
                .ok, HitCheck.Answer(hit: try await persons.check(lookupHash: body.idNumberHmac, by: principal, requestID: context.requestID)))
        }
    }
}

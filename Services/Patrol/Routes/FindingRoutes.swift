import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/findings`: submit, read, list and move findings through the closed loop.
enum FindingRoutes {
    struct Detail: Encodable {
        let finding: Finding
        let history: [Transition]
    }

    /// All a reporter learns of a clue: that it reached the ledger.
    struct ClueReceipt: Encodable {
        let id: UUID
        var kind = "clue"
        var state = "received"
    }

    struct Page: Encodable {
        let items: [Finding]
        let nextCursor: String?
    }

    static func register(on routes: APIRoutes, store: FindingStore) {
        routes.add(
            APIOperation(
                .post, "/v1/findings", id: "submitFinding", summary: "Submit a finding from a patrol (idempotent by id)", tag: "findings",
                access: .roles(.gridWorker),
                body: PatrolSchemas.submission,
                replies: [
                    .init(201, "Stored", PatrolSchemas.finding), .init(200, "Already stored: the first result", PatrolSchemas.finding),
                    .init(
                        202, "A clue: received into the confidential clue ledger",
                        Schema.object([("id", Schema.uuid), ("kind", Schema.string()), ("state", Schema.string())])),
                    .init(409, "The id is used by another submission"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let submission = try await APICoding.decode(FindingSubmission.self, from: request, context: context)
            try validate(submission, now: store.clock.now())
            switch try await store.submit(submission, by: principal) {
            case .created(let finding):
                return try APICoding.response(.created, finding, headers: [.location: "/v1/findings/\(finding.id.uuidString.lowercased())"])
            case .repeated(let finding):
                return try APICoding.response(.ok, finding)
            case .clue(let id, let created):
                return try APICoding.response(created ? .accepted : .ok, ClueReceipt(id: id))
            }
        }

        routes.add(
            APIOperation(
                .get, "/v1/findings", id: "listFindings", summary: "The findings ledger within your scope, newest first", tag: "findings",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [
                    .query("grid"), .query("community"), .query("street"), .query("category"),
                    .query("state", Schema.string(enum: FindingState.allCases.map(\.rawValue))), .query("agency"),
                    .query("from", Schema.dateTime), .query("to", Schema.dateTime), .query("overdue", Schema.boolean),
                    .query("limit", Schema.integer(minimum: 1, maximum: 200)), .query("cursor"), .query("format", Schema.string(enum: ["json", "csv"])),
                ],
                replies: [
                    .init(
                        200, "A page of findings",
                        Schema.object([("items", Schema.array(PatrolSchemas.finding)), ("next_cursor", Schema.nullable(Schema.string()))], required: ["items"]))
                ])
        ) { request, context in
            let principal = try context.authenticated()
            var filter = try ledgerFilter(request)
            if CSVResponse.wanted(request) {
                filter.limit = 10_000
                filter.after = nil
                let findings = try await store.list(filter, for: principal)
                return Language.prefersEnglish(request) ? csv(findings) : csv(findings, names: try await store.ledgerNames(), timeZone: store.timeZone)
            }
            let items = try await store.list(filter, for: principal)
            let next = items.count == filter.limit ? items.last.map { Pagination.encode($0.submittedAt, $0.id) } : nil
            return try APICoding.response(.ok, Page(items: items, nextCursor: next))
        }

        routes.add(
            APIOperation(
                .get, "/v1/findings/{id}", id: "getFinding", summary: "One finding and its history, if within your scope", tag: "findings",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)],
                replies: [
                    .init(200, "The finding", Schema.object([("finding", PatrolSchemas.finding), ("history", Schema.array(PatrolSchemas.transition))])),
                    .init(404, "No such finding in your scope"),
                ])
        ) { _, context in
            let principal = try context.authenticated()
            let id = try context.uuid("id")
            guard let finding = try await store.finding(id: id, for: principal) else { throw Problem.notFound("no such finding in your scope") }
            let history = try await store.pool.withConnection { try store.history(id: id, on: $0) }
            return try APICoding.response(.ok, Detail(finding: finding, history: history))
        }

        routes.add(
            APIOperation(
                .post, "/v1/findings/{id}/transitions", id: "transitionFinding", summary: "Take a step of the closed loop", tag: "findings",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("id", Schema.uuid)], body: PatrolSchemas.transitionRequest,
                replies: [
                    .init(200, "The finding after the step", PatrolSchemas.finding), .init(404, "No such finding in your scope"),
                    .init(409, "Not allowed from the finding's state"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let id = try context.uuid("id")
            let transition = try await APICoding.decode(TransitionRequest.self, from: request, context: context)
            // counted as PostgreSQL's char_length counts (code points), not as grapheme clusters
            if let reason = transition.reason, reason.unicodeScalars.count > 1000 {
                throw Problem.validation([.init(field: "reason", message: "at most 1000 characters")])
            }
            return try APICoding.response(.ok, try await store.perform(transition, on: id, by: principal))
        }
    }

    /// The ledger as a spreadsheet (the filters apply; at most 10,000 rows), in English: codes and
    /// RFC 3339 instants, for tools.
    static func csv(_ findings: [Finding]) -> Response {
        let header = [
            "id", "state", "category", "priority", "grid", "community", "street", "description", "address", "latitude", "longitude", "reporter",
            "submitted at", "agency", "deadline", "overdue", "resolved at", "closed at", "rating",
        ]
        let rows = findings.map { f in
            [
                f.id.uuidString.lowercased(), f.state.rawValue, f.category, f.priority, f.gridCode, f.communityCode, f.streetCode,
                f.description, f.address ?? "", f.latitude.map { String($0) } ?? "", f.longitude.map { String($0) } ?? "", f.reporter,
                RFC3339.format(f.submittedAt), f.agencyCode ?? "", f.deadlineAt.map(RFC3339.format) ?? "", f.overdue ? "1" : "0",
                f.resolvedAt.map(RFC3339.format) ?? "", f.closedAt.map(RFC3339.format) ?? "", f.rating.map { String($0) } ?? "",
            ]
        }
        return CSVResponse.make(header: header, rows: rows, filename: "findings.csv")
    }

    /// …and as the staff read it in Excel: names instead of codes (环境卫生, 东亭-03, 水果湖城管中队),
    /// times as 2026年12月8日 23:59 in the mesh's zone; the codes follow in columns of their own.
    static func csv(_ findings: [Finding], names: LedgerNames, timeZone: TimeZone) -> Response {
        let header = [
            "编号", "状态", "类别", "优先级", "网格", "社区", "街道", "描述", "地址", "纬度", "经度", "上报人", "上报时间", "责任单位", "处置期限", "是否超期",
            "处置时间", "结案时间", "满意度", "类别代码", "网格代码", "责任单位代码",
        ]
        func time(_ date: Date?) -> String { date.map { ChineseTime.dateTime($0, in: timeZone) } ?? "" }
        let rows = findings.map { f in
            [
                f.id.uuidString.lowercased(), f.state.nameZh, names.categories[f.category] ?? f.category, LedgerNames.priorities[f.priority] ?? f.priority,
                names.places["grid:\(f.gridCode)"] ?? f.gridCode, names.places["community:\(f.communityCode)"] ?? f.communityCode,
                names.places["street:\(f.streetCode)"] ?? f.streetCode, f.description, f.address ?? "", f.latitude.map { String($0) } ?? "",
                f.longitude.map { String($0) } ?? "", f.reporter, time(f.submittedAt), f.agencyCode.map { names.agencies[$0] ?? $0 } ?? "",
                time(f.deadlineAt), f.overdue ? "是" : "否", time(f.resolvedAt), time(f.closedAt), f.rating.map { String($0) } ?? "", f.category, f.gridCode,
                f.agencyCode ?? "",
            ]
        }
        return CSVResponse.make(header: header, rows: rows, filename: "findings.csv")
    }

    static func ledgerFilter(_ request: Request) throws -> LedgerFilter {
        let query = request.uri.queryParameters
        var filter = LedgerFilter()
        filter.grid = query.get("grid")
        filter.community = query.get("community")
        filter.street = query.get("street")
        filter.category = query.get("category")
        filter.agency = query.get("agency")
        var errors: [Problem.FieldError] = []
        if let text = query.get("state") {
            filter.state = FindingState(rawValue: text)
            if filter.state == nil { errors.append(.init(field: "state", message: "is not a state of the loop")) }
        }
        for (name, keyPath) in [("from", \LedgerFilter.submittedFrom), ("to", \LedgerFilter.submittedTo)] {
            if let text = query.get(name) {
                filter[keyPath: keyPath] = RFC3339.parse(text)
                if filter[keyPath: keyPath] == nil { errors.append(.init(field: name, message: "must be an RFC 3339 time")) }
            }
        }
        if let text = query.get("overdue") {
            filter.overdue = Bool(text)
            if filter.overdue == nil { errors.append(.init(field: "overdue", message: "must be true or false")) }
        }
        if !errors.isEmpty { throw Problem.badRequest("some filters are not valid", errors: errors) }
        filter.limit = try Pagination.limit(request)
        filter.after = try Pagination.cursor(request)
        return filter
    }

    static func validate(_ submission: FindingSubmission, now: Date) throws {
        var errors: [Problem.FieldError] = []
        let description = submission.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty || submission.description.length > 2000 {
            errors.append(.init(field: "description", message: "must be 1 to 2000 characters"))
        }
        if let latitude = submission.latitude, !(-90...90).contains(latitude) { errors.append(.init(field: "latitude", message: "must be within -90 and 90")) }
        if let longitude = submission.longitude, !(-180...180).contains(longitude) {
            errors.append(.init(field: "longitude", message: "must be within -180 and 180"))
        }
        if let address = submission.address, address.length > 200 { errors.append(.init(field: "address", message: "at most 200 characters")) }
        if submission.observedAt > now.addingTimeInterval(300) { errors.append(.init(field: "observed_at", message: "must not be in the future")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

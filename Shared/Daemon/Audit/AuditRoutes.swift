import Audit
import Foundation
import GridCore
import Hummingbird
import Postgres

/// `GET /v1/audit` on every daemon: its own audit chain (row-level security lets a daemon read
/// nothing else), for the district's auditors and discipline inspectors — who read which record,
/// who changed what and why — and whether the chain still verifies. Entries name accounts, record
/// ids and pseudonymous lookups, and their reasons are the staff's own words; so reading them is
/// itself audited (`audit.read`).
enum AuditRoutes {
    struct Page: Encodable {
        let entries: [AuditLog.Entry]
        /// The seq to pass as `after` for the next page; nil at the end.
        let nextAfter: Int?
        /// Only with `verify=true`: whether every entry of the chain still links and hashes.
        let verified: Bool?
        let breaks: [String]?
    }

    static let entrySchema = Schema.object([
        ("chain", Schema.string()), ("seq", Schema.integer()), ("at", Schema.dateTime), ("actor", Schema.string()), ("actor_role", Schema.string()),
        ("action", Schema.string()), ("target", Schema.string()), ("reason", Schema.nullable(Schema.string())),
        ("request_id", Schema.nullable(Schema.string())),
    ])

    static func register(on routes: APIRoutes, pool: PostgresPool, chain: String, clock: any WallClock) {
        routes.add(
            APIOperation(
                .get, "/v1/audit", id: "auditLog", summary: "This daemon's audit chain, oldest first (auditors and discipline inspectors)",
                tag: "audit", access: .roles(.auditor, .disciplineInspector),
                parameters: [
                    .query("target", Schema.string(), "exact target, e.g. clue:<id> or case:<ref>"), .query("action", Schema.string()),
                    .query("actor", Schema.string()), .query("after", Schema.integer(), "entries after this seq"), .query("limit", Schema.integer()),
                    .query("verify", Schema.boolean, "also recompute the whole chain"),
                ],
                replies: [
                    .init(
                        200, "Entries",
                        Schema.object([
                            ("entries", Schema.array(entrySchema)), ("next_after", Schema.integer()), ("verified", Schema.boolean),
                            ("breaks", Schema.array(Schema.string())),
                        ])),
                    .init(403, "Not an auditor"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            guard principal.scope.level == .district else { throw Problem.forbidden("the audit log is read at district level") }
            let query = request.uri.queryParameters
            let limit = try Pagination.limit(request, default: 100)
            guard let after = Int(query.get("after") ?? "0"), after >= 0 else {
                throw Problem.badRequest("after must be a sequence number", errors: [.init(field: "after", message: "not a non-negative integer")])
            }
            let verify = query.get("verify") == "true"
            let (target, action, actor) = (query.get("target"), query.get("action"), query.get("actor"))
            let (entries, verification) = try await pool.transaction { connection in
                let read = [target.map { "target=\($0)" }, action.map { "action=\($0)" }, actor.map { "actor=\($0)" }].compactMap { $0 }
                try AuditLog.append(
                    chain: chain, actor: principal, action: "audit.read", target: "audit:\(chain)", reason: read.isEmpty ? nil : read.joined(separator: " "),
                    requestID: context.requestID, at: clock.now(), on: connection)
                return (
                    try AuditLog.entries(chain: chain, target: target, action: action, actor: actor, after: after, limit: limit, on: connection),
                    verify ? try AuditLog.verify(on: connection) : nil
                )
            }
            return try APICoding.response(
                .ok,
                Page(
                    entries: entries,
                    nextAfter: entries.count == limit ? entries.last?.seq : nil, verified: verification.map { $0.breaks.isEmpty },
                    breaks: verification.map { $0.breaks.map(\.description) }))
        }
    }
}

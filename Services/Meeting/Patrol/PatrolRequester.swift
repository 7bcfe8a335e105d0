import Daemon
import EventBus
import Foundation
import GridCore
import HTTPClient
import Logging
import Postgres
import ServiceLifecycle

/// Asks patrold, over HTTP with meetingd's service token, to dispatch an action item's linked
/// findings to the item's owner agency when the item is decided, and to resolve them when the
/// agency reports it done (with its evidence as the reason). Requests wait in `meeting.linked_findings`, so a crash or
/// an unreachable patrold loses nothing: they are retried with backoff. What patrold then does
/// comes back as its events (`LinkedFindingUpdates`).
struct PatrolRequester: Service {
    let pool: PostgresPool
    let http: HTTPClient
    let patroldURL: String
    let token: String
    let logger: Logger
    let interval: Duration

    struct Due: Sendable {
        let actionItem: UUID
        let finding: UUID
        let agency: String
        let attempts: Int
        /// dispatch or resolve
        let wanted: String
        let evidence: String?
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "asking patrold failed") {
            try await sendDue()
        }
    }

    /// Sends every request that is due; each is claimed for a minute so another instance skips it.
    func sendDue() async throws {
        let due = try await pool.transaction { connection in
            try connection.query(
                """
                WITH due AS (
                    SELECT action_item_id, finding_id FROM meeting.linked_findings
                    WHERE state = 'requested' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED
                )
                UPDATE meeting.linked_findings l SET next_attempt_at = now() + interval '1 minute', attempts = l.attempts + 1
                FROM due, meeting.action_items a
                WHERE l.action_item_id = due.action_item_id AND l.finding_id = due.finding_id AND a.id = l.action_item_id
                RETURNING l.action_item_id, l.finding_id, a.owner_agency, l.attempts, l.wanted, a.evidence
                """
            ).map {
                Due(
                    actionItem: try $0.decode(at: 0), finding: try $0.decode(at: 1), agency: try $0.decode(at: 2), attempts: try $0.decode(at: 3),
                    wanted: try $0.decode(at: 4), evidence: try $0.decode(String?.self, at: 5))
            }
        }
        for request in due { try await send(request) }
    }

    func send(_ request: Due) async throws {
        let body: [String: String] =
            request.wanted == "resolve"
            ? ["action": "resolve", "reason": String(String.UnicodeScalarView("督办事项已完成：\(request.evidence ?? "")".unicodeScalars.prefix(1000)))]
            : ["action": "dispatch", "agency_code": request.agency]
        let outcome = await PeerCall(http: http, baseURL: patroldURL, token: token, caller: "meetingd").post(
            "/v1/findings/\(request.finding.uuidString.lowercased())/transitions", json: Array(try JSONEncoder().encode(body)),
            requestKey: "\(request.wanted)-\(request.actionItem.uuidString.prefix(8).lowercased())", attempts: request.attempts,
            done: [409: "already past \(request.wanted) in patrold"])
        let (state, error, retryIn) = outcome.recorded(peer: "patrold")
        _ = try await pool.withConnection { connection in
            // only the request that was sent (the item may have been done meanwhile, turning the row
            // into a resolve request); a dispatch through for an item already done asks for the resolve
            // (patrold's `finding.dispatched` may have come back first)
            let resolveNext = "$3 = 'sent' AND l.wanted = 'dispatch' AND l.state IN ('requested', 'dispatched') AND a.state IN ('done', 'verified')"
            try connection.execute(
                """
                UPDATE meeting.linked_findings l
                SET state = CASE WHEN \(resolveNext) THEN 'requested' WHEN l.state <> 'requested' THEN l.state ELSE $3 END,
                    wanted = CASE WHEN \(resolveNext) THEN 'resolve' ELSE l.wanted END,
                    last_error = $4, updated_at = now(), next_attempt_at = now() + coalesce($5, 0) * interval '1 second'
                FROM meeting.action_items a
                WHERE a.id = l.action_item_id AND l.action_item_id = $1 AND l.finding_id = $2 AND l.wanted = $6
                """, [request.actionItem, request.finding, state, error, retryIn, request.wanted])
        }
        if state == "refused" {
            logger.warning("patrold refused a \(request.wanted)", metadata: ["finding_id": "\(request.finding)", "error": "\(error ?? "")"])
        }
    }
}

/// patrold's events about linked findings, recorded against their action items.
enum LinkedFindingUpdates {
    /// The part of `finding.dispatched`, `finding.resolved` and `finding.closed` this needs.
    struct FindingReference: Decodable {
        let findingId: UUID
    }

    static func register(_ handlers: inout EventHandlers) {
        for (topic, state) in [("finding.dispatched", "dispatched"), ("finding.resolved", "resolved"), ("finding.closed", "closed")] {
            handlers.on(topic) { event, connection in
                let changed = try event.decodePayload(as: FindingReference.self)
                // a late `finding.dispatched` does not cancel a resolve request waiting to be sent
                try connection.execute(
                    """
                    UPDATE meeting.linked_findings SET state = $2, updated_at = now()
                    WHERE finding_id = $1 AND NOT ($2 = 'dispatched' AND wanted = 'resolve' AND state = 'requested')
                    """, [changed.findingId, state])
            }
        }
    }
}

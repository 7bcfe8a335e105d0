import Daemon
import EventBus
import Foundation
import GridCore
import HTTPClient
import Logging
import Postgres
import ServiceLifecycle

/// Asks patrold, over HTTP with meetingd's service token on behalf of a person, to dispatch an
/// action item's linked findings to the item's owner agency when the item is decided (with the
/// authority of the officer who recorded it), and to resolve them when the agency reports it done
/// (with the agency's authority, its evidence as the reason). patrold's refusal is a refusal. Requests wait in `meeting.linked_findings`, so a crash or
/// an unreachable patrold loses nothing: they are retried with backoff. What patrold then does
/// comes back as its events (`LinkedFindingUpdates`).
struct PatrolRequester: Service {
    let pool: PostgresPool
    let http: HTTPClient
    let patroldURL: String
    let tokens: ServiceTokens
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
        /// Whose authority patrold applies: who decided the item (dispatch), the agency that did it (resolve).
        let person: Principal?
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
                RETURNING l.action_item_id, l.finding_id, a.owner_agency, l.attempts, l.wanted, a.evidence,
                    CASE WHEN l.wanted = 'resolve' THEN a.done_for ELSE a.decided_for END
                """
            ).map {
                Due(
                    actionItem: try $0.decode(at: 0), finding: try $0.decode(at: 1), agency: try $0.decode(at: 2), attempts: try $0.decode(at: 3),
                    wanted: try $0.decode(at: 4), evidence: try $0.decode(String?.self, at: 5),
                    person: try $0.decode(String?.self, at: 6).flatMap(Principal.init(onBehalfValue:)))
            }
        }
        for request in due { try await send(request) }
    }

    func send(_ request: Due) async throws {
        guard let person = request.person else {
            // decided before requests carried a person: meetingd will not lend its own district-wide authority
            return try await record(request, state: "refused", error: "no person to act for", retryIn: nil)
        }
        let body: [String: String] =
            request.wanted == "resolve"
            ? ["action": "resolve", "reason": String(String.UnicodeScalarView("督办事项已完成：\(request.evidence ?? "")".unicodeScalars.prefix(1000)))]
            : ["action": "dispatch", "agency_code": request.agency]
        let patrold = PeerCall(http: http, peer: "patrold", baseURL: patroldURL, tokens: tokens, caller: "meetingd")
        let finding = "/v1/findings/\(request.finding.uuidString.lowercased())"
        let key = "\(request.wanted)-\(request.actionItem.uuidString.prefix(8).lowercased())"
        var outcome = await patrold.post(
            "\(finding)/transitions", json: Array(try JSONEncoder().encode(body)), requestKey: key, attempts: request.attempts, onBehalfOf: person)
        if case .refused(let reason) = outcome, reason.hasPrefix("answered 409") {
            // patrold would not make the step: fine if the finding is already where the item wants
            // it (with the owner agency, or resolved), a refusal otherwise
            outcome = await Self.alreadyDone(request, patrold.get(finding, requestKey: key, onBehalfOf: person)) ?? outcome
        }
        let (state, error, retryIn) = outcome.recorded(peer: "patrold")
        try await record(request, state: state, error: error, retryIn: retryIn)
    }

    /// Accepted when `current` (patrold's view of the finding, as the person) shows the step done.
    static func alreadyDone(_ request: Due, _ current: HTTPResponse?) -> PeerCall.Outcome? {
        guard let current, current.status == 200,
            let finding = (try? JSONSerialization.jsonObject(with: Data(current.body)) as? [String: Any])?["finding"] as? [String: Any],
            let state = finding["state"] as? String
        else { return nil }
        let done =
            request.wanted == "resolve"
            ? ["resolved", "verified", "closed"].contains(state)
            : ["dispatched", "in_progress"].contains(state) && finding["agency_code"] as? String == request.agency
        return done ? .accepted(note: "already \(state) in patrold", body: []) : nil
    }

    func record(_ request: Due, state: String, error: String?, retryIn: Int?) async throws {
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
            handlers.on(topic, from: "patrold") { event, connection in
                let changed = try event.decodePayload(as: FindingReference.self)
                // a late `finding.dispatched` does not cancel a resolve request waiting to be sent, and
                // no event takes a finding back: deliveries are not ordered (a retried one may come
                // after a later one), so dispatched → resolved → closed only ever moves forward
                try connection.execute(
                    """
                    UPDATE meeting.linked_findings SET state = $2, updated_at = now()
                    WHERE finding_id = $1 AND NOT ($2 = 'dispatched' AND wanted = 'resolve' AND state = 'requested')
                      AND coalesce(array_position(ARRAY['dispatched', 'resolved', 'closed'], state), 0)
                          < array_position(ARRAY['dispatched', 'resolved', 'closed'], $2::text)
                    """, [changed.findingId, state])
            }
        }
    }
}

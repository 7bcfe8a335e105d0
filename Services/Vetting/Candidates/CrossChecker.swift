import Daemon
import EventBus
import Foundation
import GridCore
import HTTPClient
import Logging
import PersonalData
import Postgres
import ServiceLifecycle

/// Runs the remote checks of screenings: asks reentryd's registry and patrold's clue ledger
/// whether they know the candidate's ID-number HMAC. The question carries only the HMAC and the
/// answer only hit or no hit, so vettingd never learns why. Pending checks wait in
/// `vetting.checks` and are retried with backoff.
struct CrossChecker: Service {
    let store: CandidateStore
    let http: HTTPClient
    /// Base URLs by check kind: `reentry_registry` → reentryd, `clue_ledger` → patrold.
    let peers: [String: String]
    let tokens: ServiceTokens
    let interval: Duration
    let logger: Logger

    static let paths = ["reentry_registry": "/v1/registry/checks", "clue_ledger": "/v1/clue-checks"]
    static let answeredBy = ["reentry_registry": "reentryd", "clue_ledger": "patrold"]

    struct Due: Sendable {
        let candidate: UUID
        let kind: String
        let hash: Data
        let attempts: Int
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "cross-checks failed") { try await checkDue() }
    }

    func checkDue() async throws {
        let kinds = Array(peers.keys)
        guard !kinds.isEmpty else { return }
        let due = try await store.pool.transaction { connection in
            try connection.query(
                """
                WITH due AS (
                    SELECT candidate_id, kind FROM vetting.checks
                    WHERE state = 'pending' AND kind = ANY($1) AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED
                )
                UPDATE vetting.checks x SET next_attempt_at = now() + interval '1 minute', attempts = x.attempts + 1
                FROM due, vetting.candidates k WHERE x.candidate_id = due.candidate_id AND x.kind = due.kind AND k.id = x.candidate_id
                RETURNING x.candidate_id, x.kind, k.id_number_hmac, x.attempts
                """, [kinds]
            ).map { Due(candidate: try $0.decode(at: 0), kind: try $0.decode(at: 1), hash: try $0.decode(at: 2), attempts: try $0.decode(at: 3)) }
        }
        for check in due { try await ask(check) }
    }

    func ask(_ check: Due) async throws {
        guard let base = peers[check.kind], let path = Self.paths[check.kind], let peer = Self.answeredBy[check.kind] else { return }
        let body = Array(try WireJSON.encoder().encode(HitCheck.Question(idNumberHmac: NationalID.hex(check.hash))))
        let outcome = await PeerCall(http: http, peer: peer, baseURL: base, tokens: tokens, caller: "vettingd").post(
            path, json: body, requestKey: String(check.candidate.uuidString.prefix(8)).lowercased(), attempts: check.attempts)
        var result: String?
        var error: String?
        var retryIn: Int?
        switch outcome {
        case .accepted(_, let answer):
            if let hit = try? WireJSON.decoder().decode(HitCheck.Answer.self, from: Data(answer)).hit {
                result = hit ? "hit" : "no_hit"
            } else {
                (error, retryIn) = ("an answer that is not {\"hit\": bool}", PeerCall.backoff(check.attempts))
            }
        case .refused(let reason): (error, retryIn) = (reason, 600)
        case .retry(let seconds, let reason): (error, retryIn) = (reason, seconds)
        }
        let now = store.clock.now()
        let (finalResult, finalError, finalRetry) = (result, error, retryIn)
        try await store.pool.transaction { connection in
            try connection.execute(
                """
                UPDATE vetting.checks SET state = CASE WHEN $3::text IS NULL THEN state ELSE 'done' END, result = coalesce($3, result),
                    checked_by = CASE WHEN $3::text IS NULL THEN checked_by ELSE $6 END, checked_at = CASE WHEN $3::text IS NULL THEN checked_at ELSE $7 END,
                    last_error = $4, next_attempt_at = now() + coalesce($5, 0) * interval '1 second'
                WHERE candidate_id = $1 AND kind = $2 AND state = 'pending'
                """, [check.candidate, check.kind, finalResult, finalError, finalRetry, check.kind == "reentry_registry" ? "reentryd" : "patrold", now])
            if finalResult != nil { try store.concludeScreening(check.candidate, now: now, on: connection) }
        }
        if let finalError { logger.warning("a cross-check is waiting", metadata: ["check": "\(check.kind)", "error": "\(finalError)"]) }
    }
}

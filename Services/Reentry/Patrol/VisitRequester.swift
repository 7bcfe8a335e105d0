import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import HTTPClient
import Logging
import Postgres
import ServiceLifecycle

/// Asks patrold for the home visits escalation decided on: `POST /v1/visit-requests` with
/// reentryd's service token, carrying the visit request's id, the case ref and the grid — nothing
/// else. Requests wait in `reentry.visit_requests` and are retried with backoff, so an unreachable
/// patrold delays a visit but never loses it; the same id makes a retry harmless.
struct VisitRequester: Service {
    let pool: PostgresPool
    let http: HTTPClient
    let patroldURL: String
    let tokens: ServiceTokens
    let logger: Logger
    let interval: Duration

    struct Due: Sendable {
        let id: UUID
        let caseRef: String
        let grid: String
        let dueBy: Date?
        let attempts: Int
    }

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "asking patrold for visits failed") {
            try await sendDue()
        }
    }

    func sendDue() async throws {
        let due = try await pool.transaction { connection in
            try connection.query(
                """
                WITH due AS (
                    SELECT id FROM reentry.visit_requests WHERE state = 'requested' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED
                )
                UPDATE reentry.visit_requests v SET next_attempt_at = now() + interval '1 minute', attempts = v.attempts + 1
                FROM due, reentry.cases c WHERE v.id = due.id AND c.id = v.case_id
                RETURNING v.id, c.case_ref, v.grid_code, v.due_by, v.attempts
                """
            ).map {
                Due(
                    id: try $0.decode(at: 0), caseRef: try $0.decode(at: 1), grid: try $0.decode(at: 2), dueBy: try $0.decode(Date?.self, at: 3),
                    attempts: try $0.decode(at: 4))
            }
        }
        for request in due { try await send(request) }
    }

    struct Body: Encodable {
        let id: UUID
        let caseId: String
        let gridCode: String
        let dueBy: Date?
    }

    func send(_ request: Due) async throws {
        let body = try WireJSON.encoder().encode(Body(id: request.id, caseId: request.caseRef, gridCode: request.grid, dueBy: request.dueBy))
        let outcome = await PeerCall(http: http, peer: "patrold", baseURL: patroldURL, tokens: tokens, caller: "reentryd").post(
            "/v1/visit-requests", json: Array(body), requestKey: String(request.id.uuidString.prefix(8)).lowercased(), attempts: request.attempts)
        let (state, error, retryIn) = outcome.recorded(peer: "patrold")
        _ = try await pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE reentry.visit_requests SET state = CASE WHEN state = 'requested' THEN $2 ELSE state END, last_error = $3,
                    next_attempt_at = now() + coalesce($4, 0) * interval '1 second'
                WHERE id = $1
                """, [request.id, state, error, retryIn])
        }
        if state == "refused" { logger.warning("patrold refused a visit request", metadata: ["visit_request_id": "\(request.id)", "error": "\(error ?? "")"]) }
    }
}

/// patrold's `visit.reported`: the grid worker's visit becomes a home-visit contact of the case
/// (a completed one only when the person was met), and the case is supervised again at once.
enum VisitReports {
    static func register(_ handlers: inout EventHandlers, bus: EventBus, policy: SupervisionPolicy, clock: any WallClock, timeZone: TimeZone) {
        handlers.on("visit.reported", from: "patrold") { event, connection in
            let report = try event.decodePayload(as: MeshEvents.VisitReported.self)
            guard
                let caseID = try connection.query(
                    "UPDATE reentry.visit_requests SET state = 'reported' WHERE id = $1 RETURNING case_id", [report.visitRequestId]
                ).first?.decode(UUID.self, at: 0)
            else { return }
            let outcome =
                switch report.outcome {
                case "met": "completed"
                case "not_home": "not_home"
                case "refused": "refused"
                default: "unreachable"
                }
            let inserted = try connection.execute(
                """
                INSERT INTO reentry.contacts (id, case_id, contact_type, method, location, outcome, occurred_at, recorded_by, recorded_at, visit_request_id)
                SELECT $1, $2, 'home_visit', 'in_person', 'residence', $3, $4, $5, $6, $1 FROM reentry.cases WHERE id = $2 AND state = 'open'
                ON CONFLICT DO NOTHING
                """, [report.visitRequestId, caseID, outcome, report.visitedAt, report.reportedBy, event.occurredAt])
            guard inserted == 1 else { return }
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let now = clock.now()
            try ContactSupervision(bus: bus, policy: policy, calendar: calendar).supervise(caseID, today: calendar.day(of: now), now: now, on: connection)
            try CommunityCounts.publishChanges(bus: bus, now: now, on: connection)
        }
    }
}

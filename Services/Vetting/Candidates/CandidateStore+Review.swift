import Daemon
import Foundation
import Geography
import GridCore
import Postgres

extension CandidateStore {
    /// An officer records a manual check (discipline record, qualifications): pass or fail, with a note.
    public func recordCheck(_ id: UUID, kind: String, result: String, note: String?, by principal: Principal, requestID: String?) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        guard ScreeningCheck.manual.contains(kind) else {
            throw Problem.notFound("\(kind) is not a manual check (\(ScreeningCheck.manual.joined(separator: ", ")))")
        }
        guard ["pass", "fail"].contains(result) else { throw Problem.validation([.init(field: "result", message: "must be pass or fail")]) }
        if (note?.length ?? 0) > 2000 { throw Problem.validation([.init(field: "note", message: "at most 2000 characters")]) }
        let now = clock.now()
        try await pool.transaction { connection in
            let (candidate, _) = try candidate(id, access: access, forUpdate: true, on: connection)
            guard candidate.state == "screening" else { throw Problem.conflict("screened", "the screening is concluded") }
            try connection.execute(
                """
                UPDATE vetting.checks SET state = 'done', result = $3, sealed_note = $4, checked_by = $5, checked_at = $6
                WHERE candidate_id = $1 AND kind = $2
                """, [id, kind, result, try note.map { try sealer.seal($0, boundTo: id) }, principal.subject, now])
            try audit(principal, "check.\(kind)", candidate: id, requestID: requestID, on: connection)
            try concludeScreening(id, now: now, on: connection)
        }
        return try await detail(id, for: principal, requestID: requestID)
    }

    /// A second officer (not the nominator) reviews a "consider": adverse, with coded reasons —
    /// the candidate is notified and may respond by the deadline — or clear.
    public func review(_ id: UUID, decision: String, reasons: [String], by principal: Principal, requestID: String?) async throws -> Candidate {
        let access = try ElectionAccess(changing: principal)
        var errors: [Problem.FieldError] = []
        if !["adverse", "clear"].contains(decision) { errors.append(.init(field: "decision", message: "must be adverse or clear")) }
        if decision == "adverse" && reasons.isEmpty { errors.append(.init(field: "reasons", message: "an adverse finding needs at least one reason code")) }
        if let unknown = reasons.first(where: { !ScreeningCheck.reasonCodes.contains($0) }) {
            errors.append(.init(field: "reasons", message: "\(unknown) is not one of \(ScreeningCheck.reasonCodes.joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let now = clock.now()
        return try await pool.transaction { connection in
            let (candidate, _) = try candidate(id, access: access, forUpdate: true, on: connection)
            guard candidate.state == "consider" else { throw Problem.conflict("not-for-review", "only a candidate screened \"consider\" is reviewed") }
            guard candidate.nominatedBy != principal.subject else { throw Problem.forbidden("a second officer, not the nominator, reviews the screening") }
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            let due = calendar.deadline(workingDays: responseWorkingDays, from: now)
            try connection.execute(
                """
                UPDATE vetting.candidates SET state = CASE WHEN $2 = 'adverse' THEN 'notified' ELSE 'cleared' END, reviewed_by = $3, reviewed_at = $4,
                    review_reasons = $5, notice_sent_at = CASE WHEN $2 = 'adverse' THEN $4 END, response_due_at = CASE WHEN $2 = 'adverse' THEN $6::timestamptz END
                WHERE id = $1
                """, [id, decision, principal.subject, now, reasons, due])
            try audit(
                principal, "candidate.review", candidate: id, reason: "\(decision): \(reasons.joined(separator: ","))", requestID: requestID, on: connection)
            return try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.id = $1", [id]).first.map(Candidate.init(row:))!
        }
    }

    /// The candidate's response to the notice, recorded by an officer before the deadline.
    public func respond(_ id: UUID, text: String, by principal: Principal, requestID: String?) async throws -> Candidate {
        let access = try ElectionAccess(changing: principal)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.length <= 10_000 else {
            throw Problem.validation([.init(field: "text", message: "must be 1 to 10000 characters")])
        }
        let now = clock.now()
        return try await pool.transaction { connection in
            let (candidate, _) = try candidate(id, access: access, forUpdate: true, on: connection)
            guard candidate.state == "notified", candidate.respondedAt == nil else {
                throw Problem.conflict("no-notice", "there is no open notice to respond to")
            }
            guard let due = candidate.responseDueAt, now <= due else { throw Problem.conflict("response-late", "the response deadline has passed") }
            try connection.execute(
                "UPDATE vetting.candidates SET sealed_response = $2, responded_at = $3 WHERE id = $1", [id, try sealer.seal(text, boundTo: id), now])
            try audit(principal, "candidate.response", candidate: id, requestID: requestID, on: connection)
            return try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.id = $1", [id]).first.map(Candidate.init(row:))!
        }
    }

    /// The final decision on a notified candidate, once they responded or the deadline passed.
    public func decide(_ id: UUID, decision: String, reason: String, by principal: Principal, requestID: String?) async throws -> Candidate {
        let access = try ElectionAccess(changing: principal)
        guard ["uphold", "withdraw"].contains(decision) else { throw Problem.validation([.init(field: "decision", message: "must be uphold or withdraw")]) }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, reason.length <= 2000 else {
            throw Problem.validation([.init(field: "reason", message: "must be 1 to 2000 characters")])
        }
        let now = clock.now()
        return try await pool.transaction { connection in
            let (candidate, _) = try candidate(id, access: access, forUpdate: true, on: connection)
            guard candidate.state == "notified" else { throw Problem.conflict("no-notice", "only a notified candidate is decided") }
            guard candidate.respondedAt != nil || (candidate.responseDueAt.map { now > $0 } ?? true) else {
                throw Problem.conflict("awaiting-response", "the candidate may still respond until \(RFC3339.format(candidate.responseDueAt!))")
            }
            try connection.execute(
                """
                UPDATE vetting.candidates SET state = CASE WHEN $2 = 'uphold' THEN 'rejected' ELSE 'cleared' END, decided_by = $3, decided_at = $4,
                    decision_reason = $5 WHERE id = $1
                """, [id, decision, principal.subject, now, reason])
            try audit(principal, "candidate.decide", candidate: id, reason: decision, requestID: requestID, on: connection)
            return try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.id = $1", [id]).first.map(Candidate.init(row:))!
        }
    }
}

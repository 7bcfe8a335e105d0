import Audit
import Daemon
import Foundation
import GridCore
import Postgres

extension CycleStore {
    /// Starts work on a gate. A failed gate starts again (a new round) only after the
    /// rectification gate has passed since the failure — 先整顿后换届.
    public func start(_ id: UUID, gate: VettingGate, by principal: Principal) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        let now = clock.now()
        try await pool.transaction { connection in
            let cycle = try fetch(id, access: access, forUpdate: true, on: connection)
            guard !["confirmed", "election"].contains(cycle.state) else { throw Problem.conflict("cycle-closed", "the election date is confirmed") }
            let current = try Self.gates(id, on: connection)
            let record = current.first { $0.gate == gate }!
            switch record.state {
            case .pending:
                try connection.execute(
                    "UPDATE vetting.gates SET state = 'in_progress', updated_by = $3, updated_at = $4 WHERE cycle_id = $1 AND gate = $2",
                    [id, gate.rawValue, principal.subject, now])
            case .failed:
                if gate != .rectification {
                    let rectification = current.first { $0.gate == .rectification }!
                    guard rectification.state == .passed, let passed = rectification.passedAt, let failed = record.failedAt, passed > failed else {
                        throw Problem.conflict("rectify-first", "the \(gate.rawValue) gate failed: the rectification gate must pass again before it restarts")
                    }
                }
                try connection.execute(
                    """
                    UPDATE vetting.gates SET state = 'in_progress', round = round + 1, updated_by = $3, updated_at = $4 WHERE cycle_id = $1 AND gate = $2
                    """, [id, gate.rawValue, principal.subject, now])
            case .inProgress, .passed:
                throw Problem.conflict("gate-\(record.state.rawValue)", "the \(gate.rawValue) gate is \(record.state.rawValue)")
            }
            try AuditLog.append(
                chain: chain, actor: principal, action: "gate.start", target: "cycle:\(id.uuidString.lowercased())", reason: gate.rawValue, at: now,
                on: connection)
            try refreshState(cycle, now: now, on: connection)
        }
        return try await detail(id, for: principal)
    }

    /// One officer's sign-off. Two different officers' `pass` in the same round pass the gate,
    /// once its campaigns' checklists are complete; one `fail` fails it and reopens rectification.
    public func signOff(
        _ id: UUID, gate: VettingGate, decision: String, findings: String, evidence: [String], by principal: Principal
    ) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        var errors: [Problem.FieldError] = []
        if !["pass", "fail"].contains(decision) { errors.append(.init(field: "decision", message: "must be pass or fail")) }
        if findings.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || findings.count > 4000 {
            errors.append(.init(field: "findings", message: "must be 1 to 4000 characters"))
        }
        if evidence.count > 50 || evidence.contains(where: { $0.isEmpty || $0.count > 500 }) {
            errors.append(.init(field: "evidence", message: "at most 50 references of 1 to 500 characters"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let now = clock.now()
        let bus = bus
        try await pool.transaction { connection in
            let cycle = try fetch(id, access: access, forUpdate: true, on: connection)
            let record = try Self.gates(id, on: connection).first { $0.gate == gate }!
            guard record.state == .inProgress else {
                throw Problem.conflict("gate-\(record.state.rawValue)", "the \(gate.rawValue) gate is \(record.state.rawValue), not in progress")
            }
            if decision == "pass" {
                let open = try connection.query(
                    "SELECT campaign FROM vetting.campaign_items WHERE cycle_id = $1 AND campaign = ANY($2) AND done_at IS NULL ORDER BY campaign, item",
                    [id, gate.campaigns.map(\.rawValue)]
                ).map { try $0.decode(String.self, at: 0) }
                guard open.isEmpty else {
                    throw Problem.conflict(
                        "checklist-incomplete", "the \(gate.rawValue) gate needs the \(Set(open).sorted().joined(separator: ", ")) checklist complete first")
                }
            }
            let signed = try connection.execute(
                """
                INSERT INTO vetting.signoffs (cycle_id, gate, round, officer, decision, findings, evidence, signed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
                """, [id, gate.rawValue, record.round, principal.subject, decision, findings, evidence, now])
            guard signed == 1 else { throw Problem.conflict("already-signed", "you have signed this gate in this round; a second officer must sign") }
            try AuditLog.append(
                chain: chain, actor: principal, action: "gate.\(decision)", target: "cycle:\(id.uuidString.lowercased())", reason: gate.rawValue, at: now,
                on: connection)
            let event = VettingEvents.GateDecided(
                cycleId: id, communityCode: cycle.communityCode, streetCode: cycle.streetCode, gate: gate.rawValue, round: record.round)
            if decision == "fail" {
                try connection.execute(
                    """
                    UPDATE vetting.gates SET state = 'failed', failed_at = $3, findings = $4, evidence = $5, updated_by = $6, updated_at = $3
                    WHERE cycle_id = $1 AND gate = $2
                    """, [id, gate.rawValue, now, findings, evidence, principal.subject])
                if gate != .rectification {
                    try connection.execute(
                        """
                        UPDATE vetting.gates SET state = 'in_progress', round = round + CASE WHEN state = 'passed' THEN 1 ELSE 0 END, passed_at = NULL,
                            updated_by = $2, updated_at = $3
                        WHERE cycle_id = $1 AND gate = 'rectification'
                        """, [id, principal.subject, now])
                }
                try bus.publish("gate.failed", event, at: now, on: connection)
            } else {
                let passes = try connection.query(
                    "SELECT count(DISTINCT officer)::int FROM vetting.signoffs WHERE cycle_id = $1 AND gate = $2 AND round = $3 AND decision = 'pass'",
                    [id, gate.rawValue, record.round]
                ).first!.decode(Int.self, at: 0)
                if passes >= 2 {
                    try connection.execute(
                        """
                        UPDATE vetting.gates SET state = 'passed', passed_at = $3, findings = $4, evidence = $5, updated_by = $6, updated_at = $3
                        WHERE cycle_id = $1 AND gate = $2
                        """, [id, gate.rawValue, now, findings, evidence, principal.subject])
                    try bus.publish("gate.passed", event, at: now, on: connection)
                }
            }
            try refreshState(cycle, now: now, on: connection)
        }
        return try await detail(id, for: principal)
    }

    /// Ticks (or unticks) a campaign checklist item.
    public func mark(_ id: UUID, campaign: Campaign, item: String, done: Bool, note: String?, by principal: Principal) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        guard campaign.checklist.contains(where: { $0.item == item }) else { throw Problem.notFound("\(campaign.rawValue) has no item \(item)") }
        if (note?.count ?? 0) > 2000 { throw Problem.validation([.init(field: "note", message: "at most 2000 characters")]) }
        let now = clock.now()
        try await pool.transaction { connection in
            _ = try fetch(id, access: access, forUpdate: true, on: connection)
            try connection.execute(
                """
                UPDATE vetting.campaign_items SET done_by = CASE WHEN $4 THEN $5 END, done_at = CASE WHEN $4 THEN $6::timestamptz END, note = coalesce($7, note)
                WHERE cycle_id = $1 AND campaign = $2 AND item = $3
                """, [id, campaign.rawValue, item, done, principal.subject, now, note])
        }
        return try await detail(id, for: principal)
    }

    /// Records the contingency plan (换届工作预案).
    public func recordPlan(_ id: UUID, plan: String, by principal: Principal) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        guard !plan.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, plan.count <= 20_000 else {
            throw Problem.validation([.init(field: "plan", message: "must be 1 to 20000 characters")])
        }
        let now = clock.now()
        try await pool.transaction { connection in
            let cycle = try fetch(id, access: access, forUpdate: true, on: connection)
            try connection.execute(
                """
                UPDATE vetting.cycles SET contingency_plan = $2, contingency_recorded_by = $3, contingency_recorded_at = $4, updated_at = $4 WHERE id = $1
                """, [id, plan, principal.subject, now])
            try AuditLog.append(chain: chain, actor: principal, action: "cycle.plan", target: "cycle:\(id.uuidString.lowercased())", at: now, on: connection)
            try refreshState(cycle, now: now, on: connection)
        }
        return try await detail(id, for: principal)
    }

    /// Confirms the election date, or moves the cycle to the election: only a ready cycle may.
    public func advance(_ id: UUID, to step: String, electionOn: CalendarDate?, by principal: Principal) async throws -> Detail {
        let access = try ElectionAccess(changing: principal)
        let now = clock.now()
        try await pool.transaction { connection in
            let cycle = try fetch(id, access: access, forUpdate: true, on: connection)
            let gates = try Self.gates(id, on: connection)
            let readiness = Readiness(
                gates: Dictionary(uniqueKeysWithValues: gates.map { ($0.gate, $0.state) }), hasContingencyPlan: cycle.contingencyPlan != nil)
            guard readiness.ready else {
                throw Problem(
                    .conflict, code: "not-ready", title: "The cycle is not ready",
                    detail: "every gate must pass and a contingency plan be recorded first: \(readiness.reasons.joined(separator: ", "))")
            }
            switch step {
            case "confirm":
                guard let electionOn else { throw Problem.validation([.init(field: "election_on", message: "is required")]) }
                guard ["ready", "confirmed"].contains(cycle.state) else { throw Problem.conflict("cycle-\(cycle.state)", "the cycle is \(cycle.state)") }
                try connection.execute(
                    "UPDATE vetting.cycles SET state = 'confirmed', confirmed_election_on = $2, updated_at = $3 WHERE id = $1", [id, electionOn, now])
            default:
                guard cycle.state == "confirmed" else { throw Problem.conflict("not-confirmed", "confirm the election date first") }
                try connection.execute("UPDATE vetting.cycles SET state = 'election', updated_at = $2 WHERE id = $1", [id, now])
            }
            try AuditLog.append(chain: chain, actor: principal, action: "cycle.\(step)", target: "cycle:\(id.uuidString.lowercased())", at: now, on: connection)
        }
        return try await detail(id, for: principal)
    }
}

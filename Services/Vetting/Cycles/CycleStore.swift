import Audit
import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// Election cycles: creating them, their gates with two-person sign-off, the campaign checklists,
/// the contingency plan and the steps to the election — each only when the rules allow it.
public struct CycleStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let chain: String

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock, chain: String) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.chain = chain
    }

    public struct Detail: Sendable, Encodable {
        let cycle: ElectionCycle
        let gates: [GateRecord]
        let campaigns: [CampaignItem]
        let blockers: [String]
    }

    func fetch(_ id: UUID, access: ElectionAccess, forUpdate: Bool = false, on connection: PostgresConnection) throws -> ElectionCycle {
        guard
            let cycle = try connection.query(
                """
                SELECT \(ElectionCycle.columns) FROM vetting.cycles c
                WHERE c.id = $1 AND \(ElectionAccess.predicate(alias: "c", level: 2, code: 3)) \(forUpdate ? "FOR UPDATE" : "")
                """, [id, access.level, access.code]
            ).first.map(ElectionCycle.init(row:))
        else { throw Problem.notFound("no cycle of yours with this id") }
        return cycle
    }

    /// Opens a community's cycle for a term: four pending gates and the six campaigns' checklists.
    public func create(id: UUID, community: String, term: String, plannedElectionOn: CalendarDate, by principal: Principal) async throws -> (
        ElectionCycle, created: Bool
    ) {
        let access = try ElectionAccess(changing: principal)
        guard term.range(of: "^[0-9]{4}$", options: .regularExpression) != nil else {
            throw Problem.validation([.init(field: "term", message: "must be the election year, e.g. 2026")])
        }
        let now = clock.now()
        return try await pool.transaction { connection in
            if let existing = try connection.query("SELECT \(ElectionCycle.columns) FROM vetting.cycles c WHERE c.id = $1", [id]).first.map(
                ElectionCycle.init(row:))
            {
                guard existing.communityCode == community, existing.term == term else { throw Problem.conflict("id-taken", "this id belongs to another cycle") }
                return (existing, false)
            }
            guard let street = try connection.query("SELECT street_code FROM geo.communities WHERE code = $1", [community]).first?.decode(String.self, at: 0)
            else { throw Problem.validation([.init(field: "community_code", message: "is not a community of the district")]) }
            guard street == access.code else { throw Problem.forbidden("the community is outside your street") }
            let inserted = try connection.execute(
                """
                INSERT INTO vetting.cycles (id, community_code, street_code, term, planned_election_on, created_by, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (community_code, term) DO NOTHING
                """, [id, community, street, term, plannedElectionOn, principal.subject, now])
            guard inserted == 1 else { throw Problem.conflict("cycle-exists", "\(community) already has a cycle for \(term)") }
            for gate in VettingGate.allCases {
                try connection.execute("INSERT INTO vetting.gates (cycle_id, gate) VALUES ($1, $2)", [id, gate.rawValue])
            }
            for campaign in Campaign.allCases {
                for entry in campaign.checklist {
                    try connection.execute(
                        "INSERT INTO vetting.campaign_items (cycle_id, campaign, item) VALUES ($1, $2, $3)", [id, campaign.rawValue, entry.item])
                }
            }
            try AuditLog.append(chain: chain, actor: principal, action: "cycle.create", target: "cycle:\(id.uuidString.lowercased())", at: now, on: connection)
            return (try fetch(id, access: access, on: connection), true)
        }
    }

    public func detail(_ id: UUID, for principal: Principal) async throws -> Detail {
        let access = try ElectionAccess(reading: principal)
        return try await pool.withConnection { connection in
            let cycle = try fetch(id, access: access, on: connection)
            let gates = try Self.gates(id, on: connection)
            return Detail(
                cycle: cycle, gates: gates, campaigns: try Self.campaigns(id, on: connection),
                blockers: Readiness(
                    gates: Dictionary(uniqueKeysWithValues: gates.map { ($0.gate, $0.state) }), hasContingencyPlan: cycle.contingencyPlan != nil
                )
                .reasons)
        }
    }

    /// The cycles of the caller's street (or, for the command centre, a street or all).
    public func list(for principal: Principal, street: String?, term: String?) async throws -> [ElectionCycle] {
        let access = try ElectionAccess(reading: principal)
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(ElectionCycle.columns) FROM vetting.cycles c
                WHERE \(ElectionAccess.predicate(alias: "c", level: 1, code: 2)) AND ($3::text IS NULL OR c.street_code = $3)
                  AND ($4::text IS NULL OR c.term = $4)
                ORDER BY c.street_code, c.community_code, c.term
                """, [access.level, access.code, street, term]
            ).map(ElectionCycle.init(row:))
        }
    }

    static func gates(_ id: UUID, on connection: PostgresConnection) throws -> [GateRecord] {
        var gates = try connection.query(
            "SELECT gate, state, round, findings, evidence, passed_at, failed_at FROM vetting.gates WHERE cycle_id = $1", [id]
        ).map {
            GateRecord(
                gate: VettingGate(rawValue: try $0.decode(at: 0))!, state: GateState(rawValue: try $0.decode(at: 1))!, round: try $0.decode(at: 2),
                findings: try $0.decode(String?.self, at: 3), evidence: try $0.decode(at: 4), passedAt: try $0.decode(Date?.self, at: 5),
                failedAt: try $0.decode(Date?.self, at: 6))
        }.sorted { VettingGate.allCases.firstIndex(of: $0.gate)! < VettingGate.allCases.firstIndex(of: $1.gate)! }
        for row in try connection.query(
            "SELECT gate, round, officer, decision, findings, evidence, signed_at FROM vetting.signoffs WHERE cycle_id = $1 ORDER BY signed_at", [id])
        {
            let gate = VettingGate(rawValue: try row.decode(at: 0))!
            guard let index = gates.firstIndex(where: { $0.gate == gate }) else { continue }
            gates[index].signOffs.append(
                .init(
                    round: try row.decode(at: 1), officer: try row.decode(at: 2), decision: try row.decode(at: 3), findings: try row.decode(at: 4),
                    evidence: try row.decode(at: 5), signedAt: try row.decode(at: 6)))
        }
        return gates
    }

    static func campaigns(_ id: UUID, on connection: PostgresConnection) throws -> [CampaignItem] {
        let rows = try connection.query("SELECT campaign, item, done_by, done_at, note FROM vetting.campaign_items WHERE cycle_id = $1", [id])
        var byKey: [String: PostgresRow] = [:]
        for row in rows { byKey["\(try row.decode(String.self, at: 0))/\(try row.decode(String.self, at: 1))"] = row }
        return try Campaign.allCases.flatMap { campaign in
            try campaign.checklist.compactMap { entry in
                guard let row = byKey["\(campaign.rawValue)/\(entry.item)"] else { return nil }
                return CampaignItem(
                    campaign: campaign, item: entry.item, title: entry.title, doneBy: try row.decode(String?.self, at: 2),
                    doneAt: try row.decode(Date?.self, at: 3), note: try row.decode(String?.self, at: 4))
            }
        }
    }

    /// Recomputes the cycle's state from its gates and plan; announces `cycle.ready` and
    /// `cycle.blocked` when it enters those states.
    func refreshState(_ cycle: ElectionCycle, now: Date, on connection: PostgresConnection) throws {
        let gates = try connection.query("SELECT gate, state FROM vetting.gates WHERE cycle_id = $1", [cycle.id]).reduce(into: [VettingGate: GateState]()) {
            $0[VettingGate(rawValue: try $1.decode(at: 0))!] = GateState(rawValue: try $1.decode(at: 1))!
        }
        let plan = try connection.query("SELECT contingency_plan IS NOT NULL FROM vetting.cycles WHERE id = $1", [cycle.id]).first!.decode(Bool.self, at: 0)
        let readiness = Readiness(gates: gates, hasContingencyPlan: plan)
        let state = readiness.state(from: cycle.state)
        guard state != cycle.state else { return }
        try connection.execute("UPDATE vetting.cycles SET state = $2, updated_at = $3 WHERE id = $1", [cycle.id, state, now])
        let payload = VettingEvents.CycleReadiness(
            cycleId: cycle.id, communityCode: cycle.communityCode, streetCode: cycle.streetCode, term: cycle.term, reasons: readiness.reasons)
        if state == "ready" && !["confirmed", "election"].contains(cycle.state) {
            try bus.publish("cycle.ready", payload, at: now, on: connection)
        } else if state == "blocked" {
            try bus.publish("cycle.blocked", payload, at: now, on: connection)
        }
    }
}

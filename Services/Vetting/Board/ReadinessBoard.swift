import Daemon
import Foundation
import GridCore
import Postgres

/// The readiness board: for the district or a street, how many communities passed each gate, are
/// ready, are blocked and why — counted over every community of the scope, with or without a cycle.
public struct ReadinessBoard: Sendable, Encodable {
    public struct Counts: Sendable, Encodable {
        var communities = 0
        var withCycle = 0
        var notStarted = 0
        var passed: [String: Int] = Dictionary(uniqueKeysWithValues: VettingGate.allCases.map { ($0.rawValue, 0) })
        var ready = 0
        var blocked = 0
        var contingencyPlans = 0
        var blockedBy: [String: Int] = [:]
    }

    public struct Row: Sendable, Encodable {
        let streetCode: String
        let streetName: String
        var counts: Counts
    }

    public struct Community: Sendable, Encodable {
        let communityCode: String
        let streetCode: String
        let name: String
        let state: String
        let ready: Bool
        let reasons: [String]
    }

    let scope: String
    let term: String
    let generatedAt: Date
    let totals: Counts
    let streets: [Row]
    /// Each community with what holds it up (the console's map colours the district by it).
    let communities: [Community]

    static func build(scope: Scope, term: String, now: Date, on connection: PostgresConnection) throws -> ReadinessBoard {
        let rows = try connection.query(
            """
            SELECT s.code, s.name_zh, m.code, m.name_zh, c.id IS NOT NULL, coalesce(c.state, 'not_started'), c.contingency_plan IS NOT NULL,
                   coalesce((SELECT array_agg(g.gate || ':' || g.state ORDER BY g.gate) FROM vetting.gates g WHERE g.cycle_id = c.id), '{}')
            FROM geo.communities m JOIN geo.streets s ON s.code = m.street_code
            LEFT JOIN vetting.cycles c ON c.community_code = m.code AND c.term = $3
            WHERE $1 = 'district' OR s.code = $2
            ORDER BY s.code, m.code
            """, [scope.level.rawValue, scope.code, term])
        var totals = Counts()
        var streets: [Row] = []
        var communities: [Community] = []
        for row in rows {
            let street: String = try row.decode(at: 0)
            if streets.last?.streetCode != street { streets.append(Row(streetCode: street, streetName: try row.decode(at: 1), counts: Counts())) }
            let hasCycle: Bool = try row.decode(at: 4)
            let state: String = try row.decode(at: 5)
            var gates: [VettingGate: GateState] = [:]
            for pair in try row.decode([String].self, at: 7) {
                let parts = pair.split(separator: ":").map(String.init)
                if parts.count == 2, let gate = VettingGate(rawValue: parts[0]), let gateState = GateState(rawValue: parts[1]) { gates[gate] = gateState }
            }
            let readiness = Readiness(gates: gates, hasContingencyPlan: try row.decode(at: 6))
            func tally(_ counts: inout Counts) {
                counts.communities += 1
                guard hasCycle else {
                    counts.notStarted += 1
                    return
                }
                counts.withCycle += 1
                for (gate, gateState) in gates where gateState == .passed { counts.passed[gate.rawValue, default: 0] += 1 }
                if readiness.ready { counts.ready += 1 }
                if readiness.blocked { counts.blocked += 1 }
                if !readiness.reasons.contains("no_contingency_plan") { counts.contingencyPlans += 1 }
                for reason in readiness.reasons { counts.blockedBy[reason, default: 0] += 1 }
            }
            tally(&totals)
            tally(&streets[streets.count - 1].counts)
            communities.append(
                Community(
                    communityCode: try row.decode(at: 2), streetCode: street, name: try row.decode(at: 3), state: state,
                    ready: hasCycle && readiness.ready, reasons: hasCycle ? readiness.reasons : ["no_cycle"]))
        }
        return ReadinessBoard(
            scope: scope.description, term: term, generatedAt: now, totals: totals, streets: streets, communities: communities)
    }
}

extension CycleStore {
    /// The board for the district (command centre) or the caller's street (its election officers).
    public func board(scope: Scope, term: String, for principal: Principal) async throws -> ReadinessBoard {
        let access = try ElectionAccess(reading: principal)
        guard scope.level == .district || scope.level == .street else {
            throw Problem.validation([.init(field: "scope", message: "must be district or street:CODE")])
        }
        guard access.level == "district" || (scope.level == .street && scope.code == access.code) else {
            throw Problem.forbidden("election officers see their own street's board")
        }
        let now = clock.now()
        return try await pool.withConnection { try ReadinessBoard.build(scope: scope, term: term, now: now, on: $0) }
    }
}

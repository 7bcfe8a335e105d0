import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// The findings ledger: submissions, scoped reads and the closed loop's transitions.
public struct FindingStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let timeZone: TimeZone
    /// The audit chain this daemon writes (its name and DB role).
    let auditChain: String
    let hotspots: HotspotDetector
    /// How far outside the reporter's grid a location is kept (flagged) rather than refused.
    static let gridTolerance = 200.0

    public init(
        pool: PostgresPool, bus: EventBus, clock: any WallClock = SystemWallClock(), timeZone: TimeZone, auditChain: String,
        hotspots: HotspotDetector = HotspotDetector(rule: .init())
    ) {
        self.hotspots = hotspots
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.timeZone = timeZone
        self.auditChain = auditChain
    }

    public enum SubmitOutcome: Sendable {
        case created(Finding)
        /// The same submission arrived before: the first result.
        case repeated(Finding)
        /// A clue category: it went to the confidential clue ledger, and the reporter learns only that it arrived.
        case clue(UUID, created: Bool)
    }

    /// A finding if it exists and the principal may see it; nil otherwise (not found and out of scope look alike).
    public func finding(id: UUID, for principal: Principal) async throws -> Finding? {
        let parameters = PostgresParameters([id] + FindingVisibility.parameters(principal))
        return try await pool.withConnection { connection in
            try connection.query(
                "SELECT \(Finding.columns) FROM \(Finding.from) WHERE f.id = $1 AND \(FindingVisibility.predicate(first: 2))", parameters.values
            ).first.map(Finding.init(row:))
        }
    }

    /// Every step the finding went through, oldest first.
    public func history(id: UUID, on connection: PostgresConnection) throws -> [Transition] {
        try connection.query(
            "SELECT action, from_state, to_state, actor, actor_role, reason, at FROM patrol.transitions WHERE finding_id = $1 ORDER BY id", [id]
        ).map(Transition.init(row:))
    }

    static func read(id: UUID, on connection: PostgresConnection) throws -> Finding? {
        try connection.query("SELECT \(Finding.columns) FROM \(Finding.from) WHERE f.id = $1", [id]).first.map(Finding.init(row:))
    }

    static func record(
        _ action: String, finding: UUID, from: FindingState?, to: FindingState, by principal: Principal, reason: String?, detail: JSONB = JSONB(text: "{}"),
        at time: Date, on connection: PostgresConnection
    ) throws {
        try connection.execute(
            """
            INSERT INTO patrol.transitions (finding_id, action, from_state, to_state, actor, actor_role, reason, detail, at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [finding, action, from?.rawValue, to.rawValue, principal.subject, principal.role.rawValue, reason, detail, time])
    }
}

/// One step of a finding's history.
public struct Transition: Sendable, Codable, Equatable {
    public let action: String
    public let fromState: String?
    public let toState: String
    public let actor: String
    public let actorRole: String
    public let reason: String?
    public let at: Date

    init(row: PostgresRow) throws {
        action = try row.decode(at: 0)
        fromState = try row.decode(String?.self, at: 1)
        toState = try row.decode(at: 2)
        actor = try row.decode(at: 3)
        actorRole = try row.decode(at: 4)
        reason = try row.decode(String?.self, at: 5)
        at = try row.decode(at: 6)
    }
}

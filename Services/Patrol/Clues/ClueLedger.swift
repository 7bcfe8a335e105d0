import Audit
import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// A clue of the confidential ledger: leads on organised crime, gambling dens, predatory lending.
public struct Clue: Sendable, Codable, Equatable {
    public let id: UUID
    public let category: String
    public let channel: String
    public let gridCode: String?
    public let streetCode: String?
    public let summary: String
    public let latitude: Double?
    public let longitude: Double?
    public let address: String?
    public let reporter: String
    public let reporterContact: String?
    public let observedAt: Date
    public let receivedAt: Date
    public let recordedBy: String
    public let state: String
    public let updatedAt: Date

    static let columns = """
        id, category, channel, grid_code, street_code, summary, ST_Y(location), ST_X(location), address, reporter, reporter_contact,
        observed_at, received_at, recorded_by, state, updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        category = try row.decode(at: 1)
        channel = try row.decode(at: 2)
        gridCode = try row.decode(String?.self, at: 3)
        streetCode = try row.decode(String?.self, at: 4)
        summary = try row.decode(at: 5)
        latitude = try row.decode(Double?.self, at: 6)
        longitude = try row.decode(Double?.self, at: 7)
        address = try row.decode(String?.self, at: 8)
        reporter = try row.decode(at: 9)
        reporterContact = try row.decode(String?.self, at: 10)
        observedAt = try row.decode(at: 11)
        receivedAt = try row.decode(at: 12)
        recordedBy = try row.decode(at: 13)
        state = try row.decode(at: 14)
        updatedAt = try row.decode(at: 15)
    }
}

/// What staff enter for a tip-off from the phone line, the mailbox or email.
public struct TipOff: Sendable, Codable {
    public var id: UUID
    public var category: String
    public var channel: String
    public var summary: String
    public var streetCode: String?
    public var gridCode: String?
    public var address: String?
    public var reporter: String
    public var reporterContact: String?
    public var observedAt: Date
}

/// The clue ledger. Only the command centre and discipline inspectors see clues; every read of one
/// is written to the audit log; events about clues carry the clue id and nothing else.
public struct ClueLedger: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    /// The audit chain: the daemon's name, which is its database role.
    let chain: String

    public init(pool: PostgresPool, bus: EventBus, clock: any WallClock, chain: String) {
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.chain = chain
    }

    static let readers: Set<Role> = [.commandCentre, .disciplineInspector]

    static func requireReader(_ principal: Principal) throws {
        guard readers.contains(principal.role), principal.scope.level == .district else {
            throw Problem.forbidden("the clue ledger is open to the command centre and discipline inspectors only")
        }
    }

    /// A grid worker's clue from a patrol, inside the submission's transaction. Idempotent by id.
    static func recordFromPatrol(
        _ submission: FindingSubmission, category: Category, point: Coordinates?, place: GridPlace, by principal: Principal, at now: Date,
        chain: String, on connection: PostgresConnection
    ) throws -> Bool {
        let inserted = try connection.execute(
            """
            INSERT INTO patrol.clues (id, category, channel, grid_code, street_code, summary, location, address, reporter, observed_at,
                                      received_at, recorded_by, updated_at)
            VALUES ($1, $2, 'patrol', $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($7, $6), 4326) END,
                    $8, $9, $10, $11, $9, $11)
            ON CONFLICT (id) DO NOTHING
            """,
            [
                submission.id, category.code, place.gridCode, place.streetCode, submission.description, point?.latitude, point?.longitude,
                submission.address, principal.subject, submission.observedAt, now,
            ])
        if inserted == 1 {
            try AuditLog.append(
                chain: chain, actor: principal, action: "clue.record", target: "clue:\(submission.id.uuidString.lowercased())", at: now, on: connection)
            return true
        }
        let mine = try connection.query(
            "SELECT 1 FROM patrol.clues WHERE id = $1 AND reporter = $2 AND summary = $3", [submission.id, principal.subject, submission.description])
        guard mine.count == 1 else { throw Problem.conflict("id-taken", "this id belongs to a different submission") }
        return false
    }

    /// Staff record a tip-off from another channel.
    public func record(_ tip: TipOff, by principal: Principal, requestID: String?) async throws -> (clue: Clue, created: Bool) {
        try Self.requireReader(principal)
        let now = clock.now()
        let chain = chain
        return try await pool.transaction { connection in
            guard let category = try Catalogue.category(tip.category, on: connection), category.kind == .clue else {
                throw Problem.validation([.init(field: "category", message: "is not a clue category")])
            }
            if let grid = tip.gridCode, try GridPlace.lookup(grid: grid, on: connection) == nil {
                throw Problem.validation([.init(field: "grid_code", message: "is not a grid of the district")])
            }
            if let street = tip.streetCode, try connection.query("SELECT 1 FROM geo.streets WHERE code = $1", [street]).count == 0 {
                throw Problem.validation([.init(field: "street_code", message: "is not a street of the district")])
            }
            let inserted = try connection.execute(
                """
                INSERT INTO patrol.clues (id, category, channel, grid_code, street_code, summary, address, reporter, reporter_contact,
                                          observed_at, received_at, recorded_by, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11)
                ON CONFLICT (id) DO NOTHING
                """,
                [
                    tip.id, category.code, tip.channel, tip.gridCode, tip.streetCode, tip.summary, tip.address, tip.reporter, tip.reporterContact,
                    tip.observedAt, now, principal.subject,
                ])
            if inserted == 1 {
                try AuditLog.append(
                    chain: chain, actor: principal, action: "clue.record", target: "clue:\(tip.id.uuidString.lowercased())", requestID: requestID, at: now,
                    on: connection)
            }
            guard let clue = try connection.query("SELECT \(Clue.columns) FROM patrol.clues WHERE id = $1", [tip.id]).first.map(Clue.init(row:)),
                clue.recordedBy == principal.subject || inserted == 1
            else { throw Problem.conflict("id-taken", "this id belongs to another clue") }
            return (clue, inserted == 1)
        }
    }

    /// One clue; the read is audited.
    public func clue(_ id: UUID, for principal: Principal, requestID: String?) async throws -> (Clue, [ClueTransfer])? {
        try Self.requireReader(principal)
        let now = clock.now()
        let chain = chain
        return try await pool.transaction { connection in
            guard let clue = try connection.query("SELECT \(Clue.columns) FROM patrol.clues WHERE id = $1", [id]).first.map(Clue.init(row:)) else { return nil }
            try AuditLog.append(
                chain: chain, actor: principal, action: "clue.read", target: "clue:\(id.uuidString.lowercased())", requestID: requestID, at: now, on: connection
            )
            let transfers = try connection.query(
                "SELECT direction, note, external_ref, by_subject, at FROM patrol.clue_transfers WHERE clue_id = $1 ORDER BY id", [id]
            ).map(ClueTransfer.init(row:))
            return (clue, transfers)
        }
    }

    /// The ledger, newest first; every clue listed is an audited read.
    public func list(for principal: Principal, limit: Int, after: (Date, UUID)?, requestID: String?) async throws -> [Clue] {
        try Self.requireReader(principal)
        let now = clock.now()
        let chain = chain
        return try await pool.transaction { connection in
            let clues = try connection.query(
                """
                SELECT \(Clue.columns) FROM patrol.clues
                WHERE ($1::timestamptz IS NULL OR (received_at, id) < ($1, $2))
                ORDER BY received_at DESC, id DESC LIMIT $3
                """, [after?.0, after?.1, limit]
            ).map(Clue.init(row:))
            for clue in clues {
                try AuditLog.append(
                    chain: chain, actor: principal, action: "clue.read", target: "clue:\(clue.id.uuidString.lowercased())", requestID: requestID, at: now,
                    on: connection)
            }
            return clues
        }
    }

    struct Transferred: Codable {
        let clueId: UUID
        let direction: String
    }

    /// Transfers a clue to the discipline commission, or records one received from it.
    public func transfer(_ id: UUID, direction: String, note: String?, externalRef: String?, by principal: Principal, requestID: String?) async throws -> Clue {
        try Self.requireReader(principal)
        let now = clock.now()
        let chain = chain
        let bus = bus
        return try await pool.transaction { connection in
            guard try connection.query("SELECT 1 FROM patrol.clues WHERE id = $1 FOR UPDATE", [id]).count == 1 else {
                throw Problem.notFound("no such clue")
            }
            try connection.execute(
                "INSERT INTO patrol.clue_transfers (clue_id, direction, note, external_ref, by_subject, at) VALUES ($1, $2, $3, $4, $5, $6)",
                [id, direction, note, externalRef, principal.subject, now])
            try connection.execute(
                "UPDATE patrol.clues SET state = CASE WHEN $2 = 'to_commission' THEN 'transferred' ELSE 'verifying' END, updated_at = $3 WHERE id = $1",
                [id, direction, now])
            try AuditLog.append(
                chain: chain, actor: principal, action: "clue.transfer.\(direction)", target: "clue:\(id.uuidString.lowercased())", reason: note,
                requestID: requestID, at: now, on: connection)
            try bus.publish("clue.transferred", Transferred(clueId: id, direction: direction), at: now, on: connection)
            return try connection.query("SELECT \(Clue.columns) FROM patrol.clues WHERE id = $1", [id]).first.map(Clue.init(row:))!
        }
    }
}

/// One transfer of a clue to or from the discipline commission.
public struct ClueTransfer: Sendable, Codable, Equatable {
    public let direction: String
    public let note: String?
    public let externalRef: String?
    public let by: String
    public let at: Date

    init(row: PostgresRow) throws {
        direction = try row.decode(at: 0)
        note = try row.decode(String?.self, at: 1)
        externalRef = try row.decode(String?.self, at: 2)
        by = try row.decode(at: 3)
        at = try row.decode(at: 4)
    }
}

import Daemon
import Foundation
import Geography
import GridCore
import Postgres

/// Filters of the findings ledger; every one optional.
public struct LedgerFilter: Sendable {
    public var grid: String?
    public var community: String?
    public var street: String?
    public var category: String?
    public var state: FindingState?
    public var agency: String?
    public var submittedFrom: Date?
    public var submittedTo: Date?
    public var overdue: Bool?
    /// true: only finished findings (closed, rejected, merged); false: only the rest.
    public var finished: Bool?
    public var limit = 50
    public var after: (Date, UUID)?

    public init() {}
}

extension FindingStore {
    /// The ledger within the principal's visibility, newest first, a page at a time.
    public func list(_ filter: LedgerFilter, for principal: Principal) async throws -> [Finding] {
        let parameters = PostgresParameters(
            FindingVisibility.parameters(principal) + [
                filter.grid, filter.community, filter.street, filter.category, filter.state?.rawValue, filter.agency, filter.submittedFrom,
                filter.submittedTo, filter.overdue, filter.after?.0, filter.after?.1, filter.limit, filter.finished,
            ])
        return try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(Finding.columns) FROM \(Finding.from)
                WHERE \(FindingVisibility.predicate(first: 1))
                  AND ($4::text IS NULL OR f.grid_code = $4)
                  AND ($5::text IS NULL OR g.community_code = $5)
                  AND ($6::text IS NULL OR c.street_code = $6)
                  AND ($7::text IS NULL OR f.category = $7)
                  AND ($8::text IS NULL OR f.state = $8)
                  AND ($9::text IS NULL OR f.agency_code = $9)
                  AND ($10::timestamptz IS NULL OR f.submitted_at >= $10)
                  AND ($11::timestamptz IS NULL OR f.submitted_at < $11)
                  AND ($12::bool IS NULL OR (f.escalated_at IS NOT NULL AND f.state IN ('dispatched', 'in_progress')) = $12)
                  AND ($13::timestamptz IS NULL OR (f.submitted_at, f.id) < ($13, $14))
                  AND ($16::bool IS NULL OR (f.state IN ('closed', 'rejected', 'merged')) = $16)
                ORDER BY f.submitted_at DESC, f.id DESC
                LIMIT $15
                """, parameters.values
            ).map(Finding.init(row:))
        }
    }
}

/// The names the staff use for the codes of a ledger export: categories, places and agencies.
public struct LedgerNames: Sendable {
    public var categories: [String: String] = [:]
    public var places: [String: String] = [:]
    public var agencies: [String: String] = [:]

    public static let priorities = ["low": "低", "normal": "一般", "high": "高", "urgent": "紧急"]
}

extension FindingStore {
    /// Every category's, grid's, community's, street's and agency's Chinese name by code (a few
    /// hundred rows, read for each export).
    public func ledgerNames() async throws -> LedgerNames {
        try await pool.withConnection { connection in
            var names = LedgerNames()
            names.categories = try PlaceNames.codeNames("SELECT code, name_zh FROM patrol.categories", on: connection)
            for kind in [PlaceNames.Kind.grid, .community, .street] {
                for (code, name) in try PlaceNames.of(kind, on: connection) { names.places["\(kind.rawValue):\(code)"] = name }
            }
            names.agencies = try PlaceNames.of(.agency, on: connection)
            return names
        }
    }
}

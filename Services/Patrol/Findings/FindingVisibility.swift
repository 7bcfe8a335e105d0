import Geography
import GridCore
import Postgres

/// Who sees which findings, as SQL: agency staff see what was dispatched to their agency; everyone
/// else sees the findings of the grids within their scope.
enum FindingVisibility {
    /// A predicate over `f` (patrol.findings) using parameters `$first`, `$first+1`, `$first+2`.
    static func predicate(first: Int) -> String {
        let agency = first + 2
        return """
            (CASE WHEN $\(agency)::text IS NOT NULL THEN f.agency_code IS NOT DISTINCT FROM $\(agency)
             ELSE \(GeographySchema.scopePredicate(gridColumn: "f.grid_code", levelParameter: first, codeParameter: first + 1)) END)
            """
    }

    /// The three parameters `predicate` reads, for this principal.
    static func parameters(_ principal: Principal) -> [any PostgresEncodable] {
        let agency: String? = principal.role == .agencyHead ? (principal.agency ?? "") : nil
        return [principal.scope.level.rawValue, principal.scope.code, agency]
    }
}

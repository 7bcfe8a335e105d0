import Geography
import GridCore
import Postgres

/// Who sees which findings, as SQL, after what each role needs to know (one declared policy):
/// the staff who handle findings see them within their scope (agency staff only what was
/// dispatched to their agency); an auditor sees counts (assessment) but no finding; caseworkers,
/// election officers, administrators and bare service accounts see none — a service acting for a
/// person (`GridMesh-On-Behalf-Of`) sees what that person sees.
enum FindingVisibility {
    /// What a query reads: findings themselves (reporter, place, text, photos) or only counts of them.
    enum Use { case findings, counts }

    /// The declared need to know, per role.
    static let policy: [Role: Set<Use>] = [
        .gridWorker: [.findings, .counts], .communityStaff: [.findings, .counts], .streetOfficer: [.findings, .counts],
        .agencyHead: [.findings, .counts], .commandCentre: [.findings, .counts], .disciplineInspector: [.findings, .counts],
        .auditor: [.counts], .caseworker: [], .electionOfficer: [], .admin: [], .service: [],
    ]

    static func allows(_ principal: Principal, _ use: Use = .findings) -> Bool { policy[principal.role]?.contains(use) ?? false }

    /// A predicate over `f` (patrol.findings) using parameters `$first`, `$first+1`, `$first+2`.
    static func predicate(first: Int) -> String {
        let agency = first + 2
        return """
            (CASE WHEN $\(agency)::text IS NOT NULL THEN f.agency_code IS NOT DISTINCT FROM $\(agency)
             ELSE \(GeographySchema.scopePredicate(gridColumn: "f.grid_code", levelParameter: first, codeParameter: first + 1)) END)
            """
    }

    /// The three parameters `predicate` reads, for this principal and use: a role the policy does
    /// not grant it gets a scope no grid lies in, so the query itself returns nothing.
    static func parameters(_ principal: Principal, _ use: Use = .findings) -> [any PostgresEncodable] {
        guard allows(principal, use) else { return ["none", "", nil as String?] }
        let agency: String? = principal.role == .agencyHead ? (principal.agency ?? "") : nil
        return [principal.scope.level.rawValue, principal.scope.code, agency]
    }
}

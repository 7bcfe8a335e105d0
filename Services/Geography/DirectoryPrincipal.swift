import GridCore
import Postgres

/// A person of the directory (`geo.accounts`) as the principal they act as now: what a credential
/// that is not a token — a calendar feed's capability, an Open311 key — resolves to on each use,
/// so a changed role or scope applies at once.
public enum DirectoryPrincipal {
    /// The columns to select, in this order, from `geo.accounts` aliased `a`.
    public static let columns = "a.subject, a.role, a.scope, a.agency_code"

    /// The principal of the four `columns` starting at `index`; nil if the role or scope is unknown.
    public static func decode(_ row: PostgresRow, from index: Int = 0) throws -> Principal? {
        guard let role = Role(rawValue: try row.decode(at: index + 1)), let scope = Scope(try row.decode(String.self, at: index + 2)) else { return nil }
        return Principal(subject: try row.decode(at: index), role: role, scope: scope, agency: try row.decode(String?.self, at: index + 3))
    }
}

/// Who is asking, as their verified token says: a subject, a role, a scope and, for agency staff,
/// the agency. Handlers pass `scope.level` and `scope.code` into SQL so scope is enforced in the query.
public struct Principal: Sendable, Hashable {
    public let subject: String
    public let role: Role
    public let scope: Scope
    /// The agency a head or agency account speaks for (e.g. `shuiguohu/city_management`).
    public let agency: String?

    public init(subject: String, role: Role, scope: Scope, agency: String? = nil) {
        self.subject = subject
        self.role = role
        self.scope = scope
        self.agency = agency
    }
}

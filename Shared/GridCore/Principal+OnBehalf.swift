/// A daemon that acts for a person carries that person's authority, not its own wider one
/// (DESIGN.md §4): it sends its service token together with the person as this header, and the
/// receiving daemon applies the person's role, scope and agency instead of the service's. Only a
/// service token may carry it, and only a person's role can be named in it.
extension Principal {
    public static let onBehalfHeader = "GridMesh-On-Behalf-Of"

    /// The header's value: `subject role scope [agency]`.
    public var onBehalfValue: String { [subject, role.rawValue, scope.description, agency].compactMap { $0 }.joined(separator: " ") }

    /// Parses a header value; nil when malformed or when it names a role no person has.
    public init?(onBehalfValue value: String) {
        let parts = value.split(separator: " ").map(String.init)
        guard parts.count == 3 || parts.count == 4, parts[0].count <= 200, let role = Role(rawValue: parts[1]), role != .service, role != .admin,
            let scope = Scope(parts[2])
        else { return nil }
        self.init(subject: parts[0], role: role, scope: scope, agency: parts.count == 4 ? parts[3] : nil)
    }
}

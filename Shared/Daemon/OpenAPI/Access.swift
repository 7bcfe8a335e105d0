import GridCore
import Hummingbird

/// Who may call an operation, declared with its route (DESIGN.md §4) and published in the OpenAPI
/// document as `x-gridmesh-access`. A role outside `roles` is refused with 403 before the handler
/// runs; the handler and its SQL then narrow further by scope, agency and subject.
public struct Access: Sendable, Hashable {
    /// How the caller proves who it is.
    public enum Credential: String, Sendable, Hashable {
        /// Nothing: health, metrics, the OpenAPI document.
        case none
        /// A Standard Webhooks signature with a peer's or an agency's secret.
        case signature
        /// A bearer token in the Authorization header.
        case bearer
        /// A bearer token in the header or in a query parameter (calendar apps, Open311's `api_key`).
        case bearerOrKey
    }

    public let credential: Credential
    public let roles: Set<Role>
    /// The query parameter that may carry the token, for `.bearerOrKey`.
    public let keyParameter: String?

    public static let anyone = Access(credential: .none, roles: [], keyParameter: nil)
    public static let signed = Access(credential: .signature, roles: [], keyParameter: nil)

    /// A bearer token of one of `roles`.
    public static func roles(_ roles: Role...) -> Access { Access(credential: .bearer, roles: Set(roles), keyParameter: nil) }

    /// A bearer token of one of `roles`, in the header or in the query parameter `key`.
    public static func roles(_ roles: Role..., orKey key: String) -> Access { Access(credential: .bearerOrKey, roles: Set(roles), keyParameter: key) }

    /// Routes behind the authentication middleware.
    var isBearerOnly: Bool { credential == .bearer }

    /// Whether a caller presents a bearer token (in the header, or in the key parameter).
    var takesToken: Bool { credential == .bearer || credential == .bearerOrKey }

    /// `principal` if its role is admitted; 403 naming the roles otherwise.
    public func admit(_ principal: Principal) throws -> Principal {
        guard roles.contains(principal.role) else {
            throw Problem.forbidden("this needs one of the roles: \(roles.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return principal
    }

    /// For a `.bearerOrKey` route: the token of the Authorization header, or else of the key
    /// parameter (in the query, or in `form` for a form-encoded body), verified (401) and admitted (403).
    public func principal(of request: Request, form: FormBody? = nil, verifier: TokenVerifier) async throws -> Principal {
        let key = keyParameter ?? "key"
        var token: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst(7))
        } else if let keyParameter {
            token = request.uri.queryParameters.get(keyParameter) ?? form?[keyParameter]
        }
        guard let token else { throw Problem.unauthorized("a bearer token or the \(key) parameter is required") }
        let principal: Principal
        do { principal = try await verifier.verify(token).principal } catch { throw Problem.unauthorized("the \(key) is not valid") }
        return try admit(principal)
    }

    /// The `x-gridmesh-access` member of the operation's OpenAPI description.
    var document: JSONValue {
        var members: [(String, JSONValue)] = [("credential", .string(credential.rawValue))]
        if takesToken { members.append(("roles", .array(roles.map(\.rawValue).sorted().map { .string($0) }))) }
        if let keyParameter { members.append(("key_parameter", .string(keyParameter))) }
        return .object(members)
    }
}

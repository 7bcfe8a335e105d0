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
        /// A bearer token in the header, or an API key (never a token) in a query or form parameter:
        /// Open311's `api_key`.
        case bearerOrKey
        /// A random capability in the URL's path that opens one resource and nothing else (a
        /// calendar feed): unknown or revoked, it is not found.
        case capability
    }

    public let credential: Credential
    public let roles: Set<Role>
    /// The query parameter that may carry the token, for `.bearerOrKey`.
    public let keyParameter: String?

    public static let anyone = Access(credential: .none, roles: [], keyParameter: nil)
    public static let signed = Access(credential: .signature, roles: [], keyParameter: nil)
    public static let capability = Access(credential: .capability, roles: [], keyParameter: nil)

    /// A bearer token of any role: what concerns the caller alone (their account, their sessions).
    public static let signedIn = Access(credential: .bearer, roles: Set(Role.allCases), keyParameter: nil)
    /// Any person signed in (every role but a mesh service).
    public static let person = Access(credential: .bearer, roles: Set(Role.allCases).subtracting([.service]), keyParameter: nil)

    /// A bearer token of one of `roles`.
    public static func roles(_ roles: Role...) -> Access { Access(credential: .bearer, roles: Set(roles), keyParameter: nil) }

    /// A bearer token of one of `roles` in the header, or an API key of such an account in the parameter `key`.
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

    /// For a `.bearerOrKey` route: the bearer token of the Authorization header, or else the API key
    /// of the key parameter (in the query, or in `form` for a form-encoded body) as `keys` knows it;
    /// verified (401) and admitted (403). A bearer token is never taken from a URL or a form.
    public func principal(of request: Request, form: FormBody? = nil, verifier: TokenVerifier, keys: any APIKeys) async throws -> Principal {
        let key = keyParameter ?? "key"
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            do { return try admit(try await verifier.verify(String(header.dropFirst(7))).principal) } catch is KeysUnavailable {
                throw Problem.unavailable
            } catch let problem as Problem { throw problem } catch { throw Problem.unauthorized("the bearer token is not valid") }
        }
        guard let keyParameter, let value = request.uri.queryParameters.get(keyParameter).map { String($0) } ?? form?[keyParameter], !value.isEmpty else {
            throw Problem.unauthorized("a bearer token or the \(key) parameter is required")
        }
        guard let principal = try await keys.principal(forKey: value) else { throw Problem.unauthorized("the \(key) is not valid") }
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

/// Where a `.bearerOrKey` route looks its API keys up: the account a live key is bound to, as the
/// directory has it now, or nil.
public protocol APIKeys: Sendable {
    func principal(forKey key: String) async throws -> Principal?
}

import Foundation
import GridCore

/// A district's own OpenID Connect provider, trusted beside authd to sign people's access tokens.
/// Its tokens carry its own claim names and values; `ClaimMapping` turns them into a GridMesh
/// principal, and refuses what it cannot map rather than guessing.
///
/// Configured with `GRIDMESH_OIDC_*` (deploy/README.md, "Another identity provider"):
/// `ISSUER` (its `iss`, and where `/.well-known/openid-configuration` is found unless `JWKS_URL`
/// is given), `AUDIENCE` (the client id it puts in `aud`), `ALGORITHMS`, `CLAIMS`, `ROLES`,
/// `SECOND_FACTOR` and `MAX_LIFETIME_SECONDS`.
public struct OutsideIssuer: Sendable {
    public var issuer: String
    public var audience: String
    /// A JWKS URL given outright; without one, the provider's discovery document names it.
    public var jwksURL: String?
    /// Signature algorithms accepted: asymmetric only (never `none` or an HMAC a verifier could be tricked into).
    public var algorithms: Set<String>
    public var mapping: ClaimMapping
    /// A token living longer than this (from `iat`, or from now) is refused: the provider's sessions
    /// cannot be revoked here, so only short-lived access tokens are accepted.
    public var maxLifetime: Duration

    public static let asymmetricAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    public init(
        issuer: String, audience: String, jwksURL: String? = nil, algorithms: Set<String> = ["RS256", "ES256", "EdDSA"],
        mapping: ClaimMapping = ClaimMapping(), maxLifetime: Duration = .seconds(3600)
    ) {
        self.issuer = issuer
        self.audience = audience
        self.jwksURL = jwksURL
        self.algorithms = algorithms
        self.mapping = mapping
        self.maxLifetime = maxLifetime
    }

    /// The provider the environment names, or nil when `GRIDMESH_OIDC_ISSUER` is unset.
    public static func fromEnvironment(_ environment: [String: String]) throws -> OutsideIssuer? {
        let reader = EnvironmentReader(environment: environment)
        guard let issuer = reader.optional("GRIDMESH_OIDC_ISSUER") else { return nil }
        guard let audience = reader.optional("GRIDMESH_OIDC_AUDIENCE") else {
            throw ConfigError(variable: "GRIDMESH_OIDC_AUDIENCE", message: "name the client id \(issuer) puts in its tokens' aud")
        }
        let algorithms = Set(reader.list("GRIDMESH_OIDC_ALGORITHMS", default: "RS256,ES256,EdDSA"))
        guard !algorithms.isEmpty, algorithms.isSubset(of: asymmetricAlgorithms) else {
            throw ConfigError(
                variable: "GRIDMESH_OIDC_ALGORITHMS", message: "only asymmetric algorithms: \(asymmetricAlgorithms.sorted().joined(separator: ", "))")
        }
        return OutsideIssuer(
            issuer: issuer, audience: audience, jwksURL: reader.optional("GRIDMESH_OIDC_JWKS_URL"), algorithms: algorithms,
            mapping: try ClaimMapping.fromEnvironment(reader),
            maxLifetime: .seconds(try reader.integer("GRIDMESH_OIDC_MAX_LIFETIME_SECONDS", default: 3600, range: 60...86_400)))
    }

    /// Where the provider's discovery document is (OpenID Connect Discovery 1.0 §4).
    public var discoveryURL: String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration"
    }

    /// The `jwks_uri` of the provider's discovery document, which must name this issuer (§4.3).
    func jwksURI(fromDiscovery json: String) throws -> String {
        let document = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        guard let named = document?["issuer"] as? String, named == issuer else {
            throw TokenError(message: "\(discoveryURL) names another issuer than \(issuer)")
        }
        guard let uri = document?["jwks_uri"] as? String, !uri.isEmpty else { throw TokenError(message: "\(discoveryURL) names no jwks_uri") }
        return uri
    }

    /// The registered claims of a verified token's payload, checked: from this issuer, for this
    /// audience, current, and short-lived.
    func check(_ claims: [String: Any], now: Date = Date()) throws {
        guard claims["iss"] as? String == issuer else { throw TokenError(message: "the token is from another issuer") }
        let audiences = (claims["aud"] as? [String]) ?? [claims["aud"] as? String].compactMap { $0 }
        guard audiences.contains(audience) else { throw TokenError(message: "the token is for another audience") }
        guard let expires = (claims["exp"] as? NSNumber)?.doubleValue else { throw TokenError(message: "the token has no expiry") }
        let skew: TimeInterval = 60
        guard expires > now.timeIntervalSince1970 else { throw TokenError(message: "the token has expired") }
        if let notBefore = (claims["nbf"] as? NSNumber)?.doubleValue, notBefore > now.timeIntervalSince1970 + skew {
            throw TokenError(message: "the token is not valid yet")
        }
        let from = (claims["iat"] as? NSNumber)?.doubleValue ?? now.timeIntervalSince1970
        guard expires - from <= TimeInterval(maxLifetime.components.seconds) + skew else {
            throw TokenError(message: "the token lives longer than GRIDMESH_OIDC_MAX_LIFETIME_SECONDS allows")
        }
    }
}

/// How an outside provider's claims become a GridMesh principal.
///
/// - `claims`: where subject, role, scope and agency are (`GRIDMESH_OIDC_CLAIMS`,
///   e.g. `subject=preferred_username,role=realm_access.roles,scope=grid_scope`): a dotted path into
///   nested objects; of an array, exactly one value must map to a role (two are refused, not chosen
///   between), and the first that parses is the scope.
/// - `roles`: the provider's role values → GridMesh roles (`GRIDMESH_OIDC_ROLES`,
///   e.g. `district-patrol=grid_worker,district-admin=admin`). Without a map the values must be
///   GridMesh role names, and `admin` is then refused: a provider makes mesh administrators only
///   where the map says so. `service` is never accepted from outside (services get their tokens
///   from authd).
/// - `secondFactor`: RFC 8176 `amr` values that count as a second factor
///   (`GRIDMESH_OIDC_SECOND_FACTOR`); a role that reaches personal data or the clue ledger
///   (`Role.needsSecondFactor`) is refused without one, as authd refuses it without a TOTP code.
public struct ClaimMapping: Sendable {
    public var subject = "sub"
    public var role = "role"
    public var scope = "scope"
    public var agency = "agency"
    public var roles: [String: Role]?
    public var secondFactor: Set<String> = ["otp", "mfa", "hwk", "swk", "sms"]

    public init() {}

    static func fromEnvironment(_ reader: EnvironmentReader) throws -> ClaimMapping {
        var mapping = ClaimMapping()
        for (name, claim) in try reader.pairs("GRIDMESH_OIDC_CLAIMS", expected: "name=claim pairs") {
            switch name {
            case "subject": mapping.subject = claim
            case "role": mapping.role = claim
            case "scope": mapping.scope = claim
            case "agency": mapping.agency = claim
            default: throw ConfigError(variable: "GRIDMESH_OIDC_CLAIMS", message: "\(name) is not one of subject, role, scope, agency")
            }
        }
        if reader.optional("GRIDMESH_OIDC_ROLES") != nil {
            var roles: [String: Role] = [:]
            for (value, name) in try reader.pairs("GRIDMESH_OIDC_ROLES", expected: "provider-value=role pairs of GridMesh roles") {
                guard let role = Role(rawValue: name), role != .service else {
                    throw ConfigError(variable: "GRIDMESH_OIDC_ROLES", message: "expected provider-value=role pairs of GridMesh roles, got \(value)=\(name)")
                }
                roles[value] = role
            }
            mapping.roles = roles
        }
        if reader.optional("GRIDMESH_OIDC_SECOND_FACTOR") != nil { mapping.secondFactor = Set(reader.list("GRIDMESH_OIDC_SECOND_FACTOR")) }
        return mapping
    }

    /// The principal `claims` describe, or an error naming what is missing or not mapped (no values
    /// of the person's: the reason is logged).
    public func principal(from claims: [String: Any]) throws -> Principal {
        guard let subject = Self.values(at: self.subject, in: claims).first, !subject.isEmpty, subject.count <= 200 else {
            throw TokenError(message: "the token has no \(self.subject) claim")
        }
        let roles = Set(Self.values(at: self.role, in: claims).compactMap(mapRole))
        guard roles.count == 1, let role = roles.first else {
            throw TokenError(message: "the token's \(self.role) claim maps to \(roles.count) GridMesh roles; one is needed")
        }
        guard let scope = Self.values(at: self.scope, in: claims).lazy.compactMap(Scope.init).first else {
            throw TokenError(message: "the token's \(self.scope) claim is not a GridMesh scope (\(Scope.expectedForm))")
        }
        if role.needsSecondFactor {
            let methods = Set(Self.values(at: "amr", in: claims))
            guard !methods.isDisjoint(with: secondFactor) else {
                throw TokenError(message: "a \(role.rawValue) token needs a second factor in amr")
            }
        }
        return Principal(subject: subject, role: role, scope: scope, agency: Self.values(at: agency, in: claims).first)
    }

    func mapRole(_ value: String) -> Role? {
        if let roles { return roles[value] }
        guard let role = Role(rawValue: value), role != .service, role != .admin else { return nil }
        return role
    }

    /// The string values at a dotted path: one string, or the strings of an array.
    static func values(at path: String, in claims: [String: Any]) -> [String] {
        var node: Any? = claims
        for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
        if let text = node as? String { return [text] }
        return (node as? [Any])?.compactMap { $0 as? String } ?? []
    }
}

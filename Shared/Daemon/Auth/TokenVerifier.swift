import Foundation
import GridCore
import JWTKit

/// Verifies bearer tokens against public keys only. A token must name a known key (`kid`) of its
/// issuer, be signed with an accepted asymmetric algorithm, be meant for this daemon (`aud`), not be
/// expired, and not belong to a revoked sign-in session (`sid`).
///
/// Two issuers may be trusted: the mesh's own (authd: EdDSA, GridMesh's claims, sessions revocable
/// through the bus), and a district's OIDC provider (`OutsideIssuer`: its algorithms, its claims
/// mapped to a principal, its own short lifetimes). The token's unverified `iss` only picks whose
/// keys to try; everything is then checked against that issuer's keys and rules.
public final class TokenVerifier: Sendable {
    public enum KeySource: Sendable {
        case jwks(String)
        case url(String, fetch: @Sendable (String) async throws -> String)
    }

    public let issuer: String
    /// The daemon this verifier guards; nil accepts any audience (tools that are not a daemon).
    public let audience: String?
    public let revocations: SessionRevocations
    private let keys: IssuerKeys
    private let outside: (issuer: OutsideIssuer, keys: IssuerKeys)?

    public init(
        source: KeySource, issuer: String = "gridmesh", audience: String?, revocations: SessionRevocations = SessionRevocations(),
        outside: (issuer: OutsideIssuer, keys: KeySource)? = nil, refreshInterval: Duration = .seconds(5)
    ) async throws {
        self.issuer = issuer
        self.audience = audience
        self.revocations = revocations
        keys = try await IssuerKeys(source: source, refreshInterval: refreshInterval)
        if let outside {
            guard outside.issuer.issuer != issuer else {
                throw ConfigError(variable: "GRIDMESH_OIDC_ISSUER", message: "the outside provider cannot share the mesh's issuer name \(issuer)")
            }
            self.outside = (outside.issuer, try await IssuerKeys(source: outside.keys, refreshInterval: refreshInterval))
        } else {
            self.outside = nil
        }
    }

    /// A verifier of a fixed key set (tests and tools).
    public convenience init(jwks json: String, issuer: String = "gridmesh", audience: String? = nil) async throws {
        try await self.init(source: .jwks(json), issuer: issuer, audience: audience)
    }

    /// Fetches the keys now (at start-up; failures are for the caller to log: the next token retries).
    public func refresh() async throws {
        try await keys.refresh()
        try await outside?.keys.refresh()
    }

    /// Who a verified token speaks for, and its authd session if it has one.
    public struct Bearer: Sendable {
        public let principal: Principal
        public let session: String?
    }

    public func verify(_ token: String) async throws -> Bearer {
        // jwt-kit falls back to its default key for an absent or unknown kid: refuse those first.
        let (header, payload) = try Self.parts(of: token)
        guard let kid = header.kid else { throw TokenError(message: "the token names no key") }
        if let outside, payload["iss"] as? String == outside.issuer.issuer {
            guard let alg = header.alg, outside.issuer.algorithms.contains(alg) else { throw TokenError(message: "the token's algorithm is not accepted") }
            guard let keys = try await outside.keys.keys(holding: kid) else { throw TokenError(message: "the token names no known key") }
            _ = try await keys.verify(token, as: SignatureOnly.self)
            try outside.issuer.check(payload)
            return Bearer(principal: try outside.issuer.mapping.principal(from: payload), session: nil)
        }
        guard header.alg == "EdDSA" else { throw TokenError(message: "the token's algorithm is not accepted") }
        guard let keys = try await keys.keys(holding: kid) else { throw TokenError(message: "the token names no known key") }
        let claims = try await keys.verify(token, as: TokenClaims.self)
        guard claims.iss.value == issuer else { throw TokenError(message: "the token is from another issuer") }
        if let audience, !claims.aud.value.contains(audience) { throw TokenError(message: "the token is for another audience") }
        if let session = claims.sid, revocations.contains(session) { throw TokenError(message: "the token's session was revoked") }
        return Bearer(principal: claims.principal, session: claims.sid)
    }

    /// An outside token's payload as jwt-kit verifies it: the signature only; its claims are
    /// checked by `OutsideIssuer.check` and mapped by `ClaimMapping`.
    struct SignatureOnly: JWTPayload {
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    struct Header: Decodable {
        let alg: String?
        let kid: String?
    }

    /// The header and the claims of a token, read before any verification (to pick the issuer and key).
    static func parts(of token: String) throws -> (Header, [String: Any]) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw TokenError(message: "the token is malformed") }
        guard let headerData = OpaqueSecret.base64URLDecoded(String(parts[0])), let header = try? JSONDecoder().decode(Header.self, from: headerData),
            let payloadData = OpaqueSecret.base64URLDecoded(String(parts[1])),
            let payload = (try? JSONSerialization.jsonObject(with: payloadData)) as? [String: Any]
        else { throw TokenError(message: "the token is malformed") }
        return (header, payload)
    }
}

/// The keys could not be fetched: the token may be good, so the answer is 503, not 401.
public struct KeysUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the token keys cannot be fetched: \(reason)" }
}

import Foundation
import JWTKit
import Synchronization

/// Verifies bearer tokens against public keys only. A token must name a known key (`kid`), be
/// signed with EdDSA, come from the expected issuer, be meant for this daemon (`aud`), not be
/// expired, and not belong to a revoked sign-in session (`sid`).
///
/// Keys come from a fixed JWKS (a file, or authd's own) or from a URL (authd's
/// `/.well-known/jwks.json`, or a district's OIDC provider's `jwks_uri`): fetched once, then again
/// when a token names a key not seen yet — at most once per `refreshInterval` — so a rotated key is
/// picked up without a restart. A stream of tokens naming made-up keys costs authd one fetch per
/// interval, no more.
public final class TokenVerifier: Sendable {
    public enum KeySource: Sendable {
        case jwks(String)
        case url(String, fetch: @Sendable (String) async throws -> String)
    }

    public let issuer: String
    /// The daemon this verifier guards; nil accepts any audience (tools that are not a daemon).
    public let audience: String?
    public let revocations: SessionRevocations
    private let source: KeySource
    private let refreshInterval: Duration
    private let state: Mutex<KeySet>

    struct KeySet: Sendable {
        var keys = JWTKeyCollection()
        var ids: Set<String> = []
        /// When a token naming an unknown key last made us fetch (the start-up fetch does not count).
        var refetchedAt: ContinuousClock.Instant?
    }

    public init(
        source: KeySource, issuer: String = "gridmesh", audience: String?, revocations: SessionRevocations = SessionRevocations(),
        refreshInterval: Duration = .seconds(5)
    ) async throws {
        self.source = source
        self.issuer = issuer
        self.audience = audience
        self.revocations = revocations
        self.refreshInterval = refreshInterval
        state = Mutex(KeySet())
        if case .jwks(let json) = source { try await install(json) }
    }

    /// A verifier of a fixed key set (tests and tools).
    public convenience init(jwks json: String, issuer: String = "gridmesh", audience: String? = nil) async throws {
        try await self.init(source: .jwks(json), issuer: issuer, audience: audience)
    }

    /// Fetches the keys now (at start-up; failures are for the caller to log: the next token retries).
    public func refresh() async throws {
        guard case .url(let url, let fetch) = source else { return }
        try await install(try await fetch(url))
    }

    public func verify(_ token: String) async throws -> TokenClaims {
        // jwt-kit falls back to its default key for an absent or unknown kid: refuse those first.
        let header = try Self.header(of: token)
        guard header.alg == "EdDSA" else { throw TokenError(message: "the token's algorithm is not accepted") }
        guard let kid = header.kid else { throw TokenError(message: "the token names no key") }
        var keys = state.withLock { $0.ids.contains(kid) ? $0.keys : nil }
        if keys == nil, case .url = source {
            let due = state.withLock { set in
                guard set.refetchedAt.map({ $0.duration(to: .now) >= refreshInterval }) ?? true else { return false }
                set.refetchedAt = .now
                return true
            }
            if due {
                do { try await refresh() } catch { throw KeysUnavailable(reason: "\(error)") }
            }
            keys = state.withLock { $0.ids.contains(kid) ? $0.keys : nil }
        }
        guard let keys else { throw TokenError(message: "the token names no known key") }
        let claims = try await keys.verify(token, as: TokenClaims.self)
        guard claims.iss.value == issuer else { throw TokenError(message: "the token is from another issuer") }
        if let audience, !claims.aud.value.contains(audience) { throw TokenError(message: "the token is for another audience") }
        if let session = claims.sid, revocations.contains(session) { throw TokenError(message: "the token's session was revoked") }
        return claims
    }

    private func install(_ json: String) async throws {
        let set = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        let raw = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rawKeys = raw?["keys"] as? [[String: Any]] ?? []
        guard rawKeys.allSatisfy({ $0["d"] == nil }) else {
            throw TokenError(message: "the verification key set holds a private key; give daemons public keys only")
        }
        let keys = JWTKeyCollection()
        try await keys.add(jwks: set)
        let ids = Set(set.keys.compactMap { $0.keyIdentifier?.string })
        state.withLock {
            $0.keys = keys
            $0.ids = ids
        }
    }

    struct Header: Decodable {
        let alg: String?
        let kid: String?
    }

    static func header(of token: String) throws -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, var text = Optional(String(parts[0])) else { throw TokenError(message: "the token is malformed") }
        text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw TokenError(message: "the token header is malformed")
        }
        return header
    }
}

/// The keys could not be fetched: the token may be good, so the answer is 503, not 401.
public struct KeysUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the token keys cannot be fetched: \(reason)" }
}

import Crypto
import Foundation
import JWTKit

/// Token keys on disk: a private Ed25519 JWK that `gridctl` signs with, and a public JWKS that
/// daemons verify against (a deployment may point that at its identity provider's keys instead).
public enum TokenKeys {
    public struct Generated: Sendable {
        public let privateJWK: String
        public let publicJWKS: String
        public let keyID: String
    }

    /// A fresh Ed25519 key pair as JSON documents.
    public static func generate() -> Generated {
        let key = Curve25519.Signing.PrivateKey()
        let keyID = String(UUID().uuidString.lowercased().prefix(8))
        let x = base64URL(key.publicKey.rawRepresentation)
        let d = base64URL(key.rawRepresentation)
        let privateJWK = #"{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":"\#(keyID)","x":"\#(x)","d":"\#(d)"}"#
        let publicJWKS = #"{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"\#(keyID)","x":"\#(x)"}]}"#
        return Generated(privateJWK: privateJWK, publicJWKS: publicJWKS, keyID: keyID)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Signs tokens with the private key (`gridctl token issue`, tests, demos).
public struct TokenIssuer: Sendable {
    private let keys: JWTKeyCollection
    private let keyID: String
    public let issuer: String

    public init(privateJWK json: String, issuer: String = "gridmesh") async throws {
        let jwk = try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
        guard let kid = jwk.keyIdentifier?.string else { throw TokenError(message: "the signing key has no kid") }
        keys = JWTKeyCollection()
        try await keys.add(jwk: jwk)
        keyID = kid
        self.issuer = issuer
    }

    public func issue(_ claims: TokenClaims) async throws -> String {
        try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }
}

/// Verifies bearer tokens against public keys only. A token must name a known key (`kid`), have the
/// expected issuer and not be expired.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let keyIDs: Set<String>
    public let issuer: String

    public init(jwks json: String, issuer: String = "gridmesh") async throws {
        let set = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        let raw = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rawKeys = raw?["keys"] as? [[String: Any]] ?? []
        guard rawKeys.allSatisfy({ $0["d"] == nil }) else {
            throw TokenError(message: "the verification key set holds a private key; give daemons public keys only")
        }
        keys = JWTKeyCollection()
        try await keys.add(jwks: set)
        keyIDs = Set(set.keys.compactMap { $0.keyIdentifier?.string })
        self.issuer = issuer
    }

    public func verify(_ token: String) async throws -> TokenClaims {
        // jwt-kit falls back to its default key for an absent or unknown kid: refuse those first.
        let header = try Self.header(of: token)
        guard let kid = header.kid, keyIDs.contains(kid) else { throw TokenError(message: "the token names no known key") }
        guard header.alg == "EdDSA" else { throw TokenError(message: "the token's algorithm is not accepted") }
        let claims = try await keys.verify(token, as: TokenClaims.self)
        guard claims.iss.value == issuer else { throw TokenError(message: "the token is from another issuer") }
        return claims
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

public struct TokenError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

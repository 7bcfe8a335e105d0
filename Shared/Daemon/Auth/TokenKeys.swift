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
        let x = OpaqueSecret.base64URL(key.publicKey.rawRepresentation)
        let d = OpaqueSecret.base64URL(key.rawRepresentation)
        let privateJWK = #"{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":"\#(keyID)","x":"\#(x)","d":"\#(d)"}"#
        let publicJWKS = String(
            decoding: (try? JSONSerialization.data(withJSONObject: ["keys": [TokenIssuer.publicJWK(kid: keyID, x: x)]])) ?? Data(), as: UTF8.self)
        return Generated(privateJWK: privateJWK, publicJWKS: publicJWKS, keyID: keyID)
    }
}

/// Signs tokens with a private key: authd's, and `gridctl token issue`'s for tests.
public struct TokenIssuer: Sendable {
    private let keys: JWTKeyCollection
    public let keyID: String
    public let issuer: String

    public init(privateJWK json: String, issuer: String = "gridmesh") async throws {
        let jwk = try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
        guard let kid = jwk.keyIdentifier?.string else { throw TokenError(message: "the signing key has no kid") }
        keys = JWTKeyCollection()
        try await keys.add(jwk: jwk)
        keyID = kid
        self.issuer = issuer
    }

    /// The public half of a private Ed25519 JWK, as a JWKS entry.
    public static func publicJWK(of privateJWK: String) throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(privateJWK.utf8)) as? [String: Any],
            let kid = object["kid"] as? String, let x = object["x"] as? String, object["kty"] as? String == "OKP"
        else { throw TokenError(message: "the signing key is not an Ed25519 JWK with a kid") }
        return publicJWK(kid: kid, x: x)
    }

    static func publicJWK(kid: String, x: String) -> [String: String] { ["kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": x] }

    public func issue(_ claims: TokenClaims) async throws -> String {
        try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }
}

public struct TokenError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

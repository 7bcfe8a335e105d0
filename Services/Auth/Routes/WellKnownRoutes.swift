import Daemon
import Foundation
import Hummingbird

/// The public keys and the OpenID Connect discovery document, for the daemons and for any client
/// that verifies authd's tokens.
enum WellKnownRoutes {
    static func register(on routes: APIRoutes, keys: SigningKeys, issuer: String, publicURL: String) {
        routes.add(
            APIOperation(
                .get, "/.well-known/jwks.json", id: "jwks", summary: "The public keys tokens are signed with (RFC 7517)", tag: "keys", access: .anyone,
                replies: [.init(200, "The key set", Schema.object([("keys", Schema.array(["type": "object"]))], required: ["keys"]))])
        ) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: keys.publicJWKS)))
        }

        let discovery = Discovery(
            issuer: issuer, jwksUri: "\(publicURL)/.well-known/jwks.json", tokenEndpoint: "\(publicURL)/v1/token",
            revocationEndpoint: "\(publicURL)/v1/revoke")
        routes.add(
            APIOperation(
                .get, "/.well-known/openid-configuration", id: "openidConfiguration", summary: "OpenID Connect discovery: issuer, keys, endpoints",
                tag: "keys", access: .anyone, replies: [.init(200, "The provider's metadata", ["type": "object"])])
        ) { _, _ in
            try APICoding.response(.ok, discovery, headers: [.cacheControl: "public, max-age=300"])
        }
    }

    /// OpenID Connect Discovery 1.0 §3 and RFC 8414 metadata of what authd does.
    struct Discovery: Encodable, Sendable {
        let issuer: String
        let jwksUri: String
        let tokenEndpoint: String
        let revocationEndpoint: String
        // authd signs people in on its own pages (no redirect flow yet): the endpoint is its sign-in API
        var authorizationEndpoint: String { tokenEndpoint.replacingOccurrences(of: "/v1/token", with: "/v1/sessions") }
        let responseTypesSupported = ["token"]
        let subjectTypesSupported = ["public"]
        let idTokenSigningAlgValuesSupported = ["EdDSA"]
        let grantTypesSupported = ["refresh_token", "client_credentials"]
        let tokenEndpointAuthMethodsSupported = ["client_secret_post", "client_secret_basic"]
        let claimsSupported = ["sub", "iss", "aud", "exp", "iat", "jti", "sid", "role", "scope", "agency"]

        enum CodingKeys: String, CodingKey {
            case issuer, jwksUri, tokenEndpoint, revocationEndpoint, authorizationEndpoint, responseTypesSupported, subjectTypesSupported
            case idTokenSigningAlgValuesSupported, grantTypesSupported, tokenEndpointAuthMethodsSupported, claimsSupported
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(issuer, forKey: .issuer)
            try container.encode(jwksUri, forKey: .jwksUri)
            try container.encode(tokenEndpoint, forKey: .tokenEndpoint)
            try container.encode(revocationEndpoint, forKey: .revocationEndpoint)
            try container.encode(authorizationEndpoint, forKey: .authorizationEndpoint)
            try container.encode(responseTypesSupported, forKey: .responseTypesSupported)
            try container.encode(subjectTypesSupported, forKey: .subjectTypesSupported)
            try container.encode(idTokenSigningAlgValuesSupported, forKey: .idTokenSigningAlgValuesSupported)
            try container.encode(grantTypesSupported, forKey: .grantTypesSupported)
            try container.encode(tokenEndpointAuthMethodsSupported, forKey: .tokenEndpointAuthMethodsSupported)
            try container.encode(claimsSupported, forKey: .claimsSupported)
        }
    }
}

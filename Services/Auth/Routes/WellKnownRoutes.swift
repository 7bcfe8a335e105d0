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
        // the same metadata at OpenID Connect Discovery's path and at RFC 8414's
        for (path, id) in [("/.well-known/openid-configuration", "openidConfiguration"), ("/.well-known/oauth-authorization-server", "oauthMetadata")] {
            routes.add(
                APIOperation(
                    .get, path, id: id, summary: "Discovery metadata: issuer, keys, endpoints (OpenID Connect Discovery 1.0, RFC 8414)", tag: "keys",
                    access: .anyone, replies: [.init(200, "The server's metadata", ["type": "object"])])
            ) { _, _ in
                try APICoding.response(.ok, discovery, headers: [.cacheControl: "public, max-age=300"])
            }
        }
    }

    /// OpenID Connect Discovery 1.0 §3 and RFC 8414 metadata of what authd does. authd has no
    /// authorization endpoint (people sign in through its API, on the mesh's own pages; no redirect
    /// flow): RFC 8414 §2 lets the endpoint be left out when no grant uses it, and the response
    /// types it would serve are then none.
    struct Discovery: Encodable, Sendable {
        let issuer: String
        let jwksUri: String
        let tokenEndpoint: String
        let revocationEndpoint: String
        var responseTypesSupported: [String] = []
        var subjectTypesSupported = ["public"]
        var idTokenSigningAlgValuesSupported = ["EdDSA"]
        var grantTypesSupported = ["refresh_token", "client_credentials"]
        var tokenEndpointAuthMethodsSupported = ["client_secret_post", "client_secret_basic"]
        var claimsSupported = ["sub", "iss", "aud", "exp", "iat", "jti", "sid", "amr", "role", "scope", "agency"]
    }
}

import Daemon
import Foundation
import GridCore
import JWTKit
import Testing

/// A district's own OIDC provider, in process: tokens signed with an ES256 key of the test's, in the
/// shape Keycloak gives them, verified beside the mesh's own EdDSA tokens.
@Suite struct OutsideIssuerTests {
    static let issuerURL = "https://idp.district.test/realms/grid"

    /// A provider's access token: its own claim names (`preferred_username`, `realm_access.roles`,
    /// `grid_scope`), `amr` as RFC 8176 has it.
    struct ProviderClaims: JWTPayload {
        var iss = OutsideIssuerTests.issuerURL
        var aud: [String] = ["gridmesh", "account"]
        var sub = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
        var preferredUsername = "chen.jing"
        var realmAccess = Roles(roles: ["offline_access", "district-patrol"])
        var gridScope: String? = "grid:dongting-03"
        var amr: [String]? = ["pwd"]
        var iat = Int(Date().timeIntervalSince1970)
        var exp = Int(Date().timeIntervalSince1970) + 300

        struct Roles: Codable { var roles: [String] }

        enum CodingKeys: String, CodingKey {
            case iss, aud, sub, amr, iat, exp
            case preferredUsername = "preferred_username"
            case realmAccess = "realm_access"
            case gridScope = "grid_scope"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    struct Provider {
        let keys = JWTKeyCollection()
        let jwks: String

        init() async {
            let key = ES256PrivateKey()
            await keys.add(ecdsa: key, kid: "district-1")
            let (x, y) = key.parameters!
            jwks =
                #"{"keys":[{"kty":"EC","crv":"P-256","use":"sig","kid":"district-1","x":"\#(x)","y":"\#(y)"},"#
                + #"{"kty":"EC","crv":"P-256","use":"enc","kid":"district-enc","x":"\#(x)","y":"\#(y)"}]}"#
        }

        func sign(_ claims: ProviderClaims, kid: String = "district-1") async throws -> String {
            try await keys.sign(claims, kid: JWKIdentifier(string: kid))
        }
    }

    static func mapping() -> ClaimMapping {
        var mapping = ClaimMapping()
        mapping.subject = "preferred_username"
        mapping.role = "realm_access.roles"
        mapping.scope = "grid_scope"
        mapping.roles = ["district-patrol": .gridWorker, "district-casework": .caseworker, "district-it": .admin]
        return mapping
    }

    static func verifier(_ provider: Provider, audience: String = "patrold") async throws -> TokenVerifier {
        try await TokenVerifier(
            source: .jwks(TestKeys.generated.publicJWKS), audience: audience,
            outside: (OutsideIssuer(issuer: issuerURL, audience: "gridmesh", mapping: mapping()), .jwks(provider.jwks)))
    }

    @Test func aProvidersTokenBecomesThePrincipalItsClaimsMapTo() async throws {
        let provider = await Provider()
        let verifier = try await Self.verifier(provider)
        let bearer = try await verifier.verify(try await provider.sign(ProviderClaims()))
        #expect(bearer.principal == Principal(subject: "chen.jing", role: .gridWorker, scope: Scope("grid:dongting-03")!))
        #expect(bearer.session == nil)
        // the mesh's own tokens keep working beside it
        let own = try await verifier.verify(try await TestKeys.token("svc-meetingd", .service, "district"))
        #expect(own.principal.role == .service)
    }

    @Test func whatIsNotTheProvidersShortLivedTokenForUsIsRefused() async throws {
        let provider = await Provider()
        let verifier = try await Self.verifier(provider)
        var otherAudience = ProviderClaims()
        otherAudience.aud = ["account"]
        var expired = ProviderClaims()
        expired.exp = expired.iat - 1
        var longLived = ProviderClaims()
        longLived.exp = longLived.iat + 86_400
        var noScope = ProviderClaims()
        noScope.gridScope = nil
        var badScope = ProviderClaims()
        badScope.gridScope = "the whole city"
        var unmapped = ProviderClaims()
        unmapped.realmAccess.roles = ["offline_access"]
        var twoRoles = ProviderClaims()
        twoRoles.realmAccess.roles = ["district-patrol", "district-it"]
        var caseworkerWithoutSecondFactor = ProviderClaims()
        caseworkerWithoutSecondFactor.realmAccess.roles = ["district-casework"]
        for claims in [otherAudience, expired, longLived, noScope, badScope, unmapped, twoRoles, caseworkerWithoutSecondFactor] {
            let token = try await provider.sign(claims)
            await #expect(throws: TokenError.self) { try await verifier.verify(token) }
        }
        // signed with the provider's encryption key id, or claiming the provider's issuer with the mesh's key
        let encryptionKeyed = try await provider.sign(ProviderClaims(), kid: "district-enc")
        await #expect(throws: TokenError.self) { try await verifier.verify(encryptionKeyed) }
        let meshKeys = JWTKeyCollection()
        try await meshKeys.add(jwk: JWK(json: TestKeys.generated.privateJWK))
        let forged = try await meshKeys.sign(ProviderClaims(), kid: JWKIdentifier(string: TestKeys.generated.keyID))
        await #expect(throws: TokenError.self) { try await verifier.verify(forged) }
        // an HMAC token under the provider's name is refused before any key is tried
        let hmac = JWTKeyCollection()
        await hmac.add(hmac: "a secret anyone could guess, at 32 bytes or more", digestAlgorithm: .sha256, kid: "district-1")
        let symmetric = try await hmac.sign(ProviderClaims(), kid: "district-1")
        await #expect(throws: TokenError.self) { try await verifier.verify(symmetric) }
    }

    @Test func aRoleReachingPersonalDataNeedsASecondFactorInAmr() async throws {
        let provider = await Provider()
        let verifier = try await Self.verifier(provider, audience: "reentryd")
        var claims = ProviderClaims()
        claims.realmAccess.roles = ["district-casework"]
        claims.gridScope = "community:dongting"
        claims.amr = ["pwd", "otp"]
        let bearer = try await verifier.verify(try await provider.sign(claims))
        #expect(bearer.principal.role == .caseworker)
        claims.amr = nil
        let bare = try await provider.sign(claims)
        await #expect(throws: TokenError.self) { try await verifier.verify(bare) }
    }

    @Test func withoutARoleMapOnlyGridMeshRolesBelowAdministratorAreTaken() throws {
        let mapping = ClaimMapping()
        let base: [String: Any] = ["sub": "li.na", "scope": "street:shuiguohu"]
        #expect(try mapping.principal(from: base.merging(["role": "street_officer"]) { $1 }).role == .streetOfficer)
        for role in ["admin", "service", "district-patrol"] {
            #expect(throws: TokenError.self) { try mapping.principal(from: base.merging(["role": role]) { $1 }) }
        }
    }

    @Test func theConfigurationIsReadAndItsMistakesNamed() throws {
        let environment = [
            "GRIDMESH_OIDC_ISSUER": Self.issuerURL, "GRIDMESH_OIDC_AUDIENCE": "gridmesh",
            "GRIDMESH_OIDC_CLAIMS": "subject=preferred_username, role=realm_access.roles, scope=grid_scope",
            "GRIDMESH_OIDC_ROLES": "district-patrol=grid_worker,district-it=admin", "GRIDMESH_OIDC_SECOND_FACTOR": "otp,hwk",
        ]
        let issuer = try #require(try OutsideIssuer.fromEnvironment(environment))
        #expect(issuer.discoveryURL == Self.issuerURL + "/.well-known/openid-configuration")
        #expect(issuer.mapping.role == "realm_access.roles" && issuer.mapping.roles?["district-it"] == .admin)
        #expect(issuer.mapping.secondFactor == ["otp", "hwk"])
        #expect(try OutsideIssuer.fromEnvironment([:]) == nil)
        let mistakes: [[String: String]] = [
            ["GRIDMESH_OIDC_AUDIENCE": ""], ["GRIDMESH_OIDC_ALGORITHMS": "HS256"], ["GRIDMESH_OIDC_ALGORITHMS": "none"],
            ["GRIDMESH_OIDC_CLAIMS": "department=dept"], ["GRIDMESH_OIDC_ROLES": "district-bot=service"], ["GRIDMESH_OIDC_ROLES": "x=mayor"],
        ]
        for mistake in mistakes {
            #expect(throws: ConfigError.self) { try OutsideIssuer.fromEnvironment(environment.merging(mistake) { $1 }) }
        }
    }
}

import Auth
import Daemon
import Foundation
import GridCore
import Testing

@Suite("A district's own OIDC provider, played by a second authd with its own key, issuer and directory")
struct OutsideProviderTests {
    /// A GET patrold answers 200 for a discipline inspector.
    static let probe = "/v1/audit?limit=1"

    @Test func peopleSignedInAtTheProviderActAsItsClaimsMapAndNoWider() async throws {
        let port = try TestPorts.reserve()
        let issuer = "http://127.0.0.1:\(port)"
        let keyFile = TestScratch.path("district-provider-\(UUID().uuidString.prefix(8)).jwk")
        try TokenKeys.generate().privateJWK.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let provider = try await AuthFixture(extra: [
            "GRIDMESH_TOKEN_SIGNING_KEY_FILE": keyFile, "GRIDMESH_TOKEN_ISSUER": issuer, "GRIDMESH_HTTP_PORT": "\(port)",
        ])
        let mesh = try await TestDatabase.make()
        defer { mesh.drop() }
        // patrold finds the provider's keys through its discovery document, and takes three of its roles
        let patrold = try await Mesh.start(
            "patrold", database: mesh,
            extra: [
                "GRIDMESH_OIDC_ISSUER": issuer, "GRIDMESH_OIDC_AUDIENCE": "patrold",
                "GRIDMESH_OIDC_ROLES": "grid_worker=grid_worker,street_officer=street_officer,discipline_inspector=discipline_inspector",
            ])

        try await provider.enrol("zhangmin")
        let worker = try #require(try await provider.session("zhangmin").tokens["patrold"])
        let id = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(id)","category":"environmental_sanitation","description":"垃圾","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let submitted = try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body)
        #expect(submitted.status == 201, "\(submitted.text)")
        let pool = mesh.pool(size: 1)
        defer { pool.close() }
        let reporter = try await pool.query("SELECT reporter, grid_code FROM patrol.findings WHERE id = $1", [id]).first
        #expect(try reporter?.decode(String.self, at: 0) == "zhangmin" && reporter?.decode(String.self, at: 1) == "dongting-03")
        // the grid worker's scope came with the token: not an inspector's read
        #expect(try await Mesh.request("GET", patrold.baseURL + Self.probe, token: worker).status == 403)

        // an inspector signed in with the provider's second factor (amr: pwd, otp) reads the audit
        let secret = try #require(try await provider.enrol("inspector-qian"))
        let inspector = try await provider.session("inspector-qian", code: TOTP(secret: secret).code(counter: TOTP.counter(at: Date())))
        let audit = try await Mesh.request("GET", patrold.baseURL + Self.probe, token: inspector.tokens["patrold"])
        #expect(audit.status == 200, "\(audit.text)")
        // the provider's token for another daemon is not for patrold
        #expect(try await Mesh.request("GET", patrold.baseURL + Self.probe, token: inspector.tokens["meetingd"]).status == 401)

        // the provider signs an administrator in, but the role map gives it no administrator here
        let adminSecret = try #require(try await provider.enrol("admin"))
        let admin = try await provider.session("admin", code: TOTP(secret: adminSecret).code(counter: TOTP.counter(at: Date())))
        let refused = try await Mesh.request("GET", patrold.baseURL + "/v1/open311-keys", token: admin.tokens["patrold"])
        #expect(refused.status == 401, "\(refused.text)")

        // the mesh's own tokens (services, tests) are taken beside the provider's
        let own = try await TestKeys.token("admin", .admin, "district")
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/open311-keys", token: own).status == 200)
    }

    @Test func aDiscoveryDocumentNamingAnotherIssuerGivesNoKeys() async throws {
        let provider = try await AuthFixture()  // its discovery document names the issuer "gridmesh"
        let mesh = try await TestDatabase.make()
        defer { mesh.drop() }
        let patrold = try await Mesh.start(
            "patrold", database: mesh, extra: ["GRIDMESH_OIDC_ISSUER": provider.authd.baseURL, "GRIDMESH_OIDC_AUDIENCE": "patrold"])
        try await provider.enrol("zhangmin")
        let token = try #require(try await provider.session("zhangmin").tokens["patrold"])
        // the token says iss "gridmesh": the mesh's issuer, whose keys (the test key) it is verified against
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/categories", token: token).status == 200)
        #expect(patrold.log.contains("names another issuer"), "patrold says why the provider's keys were not taken")
    }
}

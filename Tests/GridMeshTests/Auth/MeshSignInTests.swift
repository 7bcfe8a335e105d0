import Auth
import Daemon
import Foundation
import GridCore
import HTTPClient
import Testing

@Suite("Sessions across the mesh: audiences, revocation, keys from authd, no secret in a log")
struct MeshSignInTests {
    static let daemons = ["patrold", "meetingd", "reentryd", "vettingd"]

    /// A GET every daemon answers 200 for a discipline inspector.
    static let probe = "/v1/audit?limit=1"

    /// The `kid` of a JWT's header.
    static func kid(of token: String) -> String? { JWTText.part(token, 0)["kid"] as? String }

    @Test func aRevokedSessionIsRefusedByAllFiveDaemonsAtOnceNotAtTheNextPoll() async throws {
        let f = try await AuthFixture()
        var started: [String: DaemonProcess] = ["authd": f.authd]
        for daemon in Self.daemons { started[daemon] = try await Mesh.start(daemon, database: f.database) }
        let secret = try #require(try await f.enrol("inspector-qian"))
        let session = try await f.session("inspector-qian", code: TOTP(secret: secret).code(counter: TOTP.counter(at: Date())))
        for (daemon, process) in started {
            let answer = try await Mesh.request("GET", process.baseURL + Self.probe, token: session.tokens[daemon])
            #expect(answer.status == 200, "\(daemon) takes the session's token before: \(answer.status) \(answer.text)")
        }

        // the inspector is transferred: an administrator ends every session of the account
        let revokedAt = ContinuousClock.now
        let revoked = try await Mesh.request("DELETE", f.authd.baseURL + "/v1/accounts/inspector-qian/sessions", token: try await f.admin)
        #expect(revoked.status == 200 && (try? Mesh.json(revoked)["revoked"] as? Int) == 1, "\(revoked.text)")
        // pushed by NOTIFY, not found by the 30-second poll: each daemon refuses it long before that
        // (scripts/bench auth times it; here the time is not what is tested, the path is)
        for (daemon, process) in started {
            let refused = try await TestSupport.eventually(timeout: .seconds(10)) {
                try await Mesh.request("GET", process.baseURL + Self.probe, token: session.tokens[daemon]).status == 401
            }
            #expect(refused, "\(daemon) refuses the revoked session without waiting for its poll")
        }
        print("revocation: refused by all five daemons \(revokedAt.duration(to: .now)) after the administrator's call")
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let payload = try await pool.query("SELECT payload::text FROM mesh.events WHERE topic = 'session.revoked'").first?.decode(String.self, at: 0)
        #expect(
            payload?.contains(session.id) == true && payload?.contains("inspector") == false,
            "the bus carries the session id, nothing about whose: \(payload ?? "none")")
    }

    @Test func aTokenForOneDaemonIsRefusedByAnother() async throws {
        let f = try await AuthFixture()
        let patrold = try await Mesh.start("patrold", database: f.database)
        let meetingd = try await Mesh.start("meetingd", database: f.database)
        let secret = try #require(try await f.enrol("auditor"))
        let code = TOTP(secret: secret).code(counter: TOTP.counter(at: Date()))
        let signedIn = try await f.post(
            "/v1/sessions", json: #"{"username":"auditor","password":"\#(AuthFixture.password)","totp_code":"\#(code)","audience":"patrold"}"#)
        let token = try #require(try Mesh.json(signedIn)["access_token"] as? String)
        #expect(try await Mesh.request("GET", patrold.baseURL + Self.probe, token: token).status == 200)
        let refused = try await Mesh.request("GET", meetingd.baseURL + Self.probe, token: token)
        #expect(refused.status == 401, "\(refused.text)")
        #expect(try await Mesh.request("GET", f.authd.baseURL + "/v1/me", token: token).status == 401, "nor does authd take it")
    }

    @Test func daemonsFetchAuthdsKeysAndPickUpARotatedKeyWithoutARestart() async throws {
        let port = try TestPorts.reserve()
        let f = try await AuthFixture(extra: ["GRIDMESH_HTTP_PORT": "\(port)"])
        let patrold = try await Mesh.start(
            "patrold", database: f.database, extra: ["GRIDMESH_TOKEN_KEYS_FILE": "", "GRIDMESH_AUTHD_URL": f.authd.baseURL])
        try await f.enrol("zhangmin")
        let before = try await f.session("zhangmin")
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: before.tokens["patrold"]).status == 200)

        // rotation: a new key signs, the old one is still published; authd restarts, patrold does not
        let fresh = TokenKeys.generate()
        let rotated = TestScratch.path("rotated-\(UUID().uuidString.prefix(8)).json")
        try #"{"keys":[\#(fresh.privateJWK),\#(TestKeys.generated.privateJWK)]}"#.write(toFile: rotated, atomically: true, encoding: .utf8)
        #expect(try await f.authd.terminate() == 0)
        let authd = try await Mesh.start(
            "authd", database: f.database,
            extra: AuthFixture.authdEnvironment.merging(["GRIDMESH_HTTP_PORT": "\(port)", "GRIDMESH_TOKEN_SIGNING_KEY_FILE": rotated]) { _, new in new })
        let jwks = try Mesh.json(try await Mesh.request("GET", authd.baseURL + "/.well-known/jwks.json"))
        let kids = ((jwks["keys"] as? [[String: Any]]) ?? []).compactMap { $0["kid"] as? String }
        #expect(kids == [fresh.keyID, TestKeys.generated.keyID] && !"\(jwks)".contains("\"d\""), "\(jwks)")
        let after = try await f.session("zhangmin")
        #expect(Self.kid(of: after.tokens["patrold"]!) == fresh.keyID)
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: after.tokens["patrold"]).status == 200, "the new key is fetched")
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: before.tokens["patrold"]).status == 200, "the old still verifies")

        let discovery = try Mesh.json(try await Mesh.request("GET", authd.baseURL + "/.well-known/openid-configuration"))
        #expect(discovery["issuer"] as? String == "gridmesh" && (discovery["jwks_uri"] as? String)?.hasSuffix("/.well-known/jwks.json") == true)
        // no authorization endpoint is claimed that does not exist; RFC 8414's path says the same
        #expect(discovery["authorization_endpoint"] == nil && (discovery["response_types_supported"] as? [String]) == [])
        let metadata = try Mesh.json(try await Mesh.request("GET", authd.baseURL + "/.well-known/oauth-authorization-server"))
        #expect(metadata["token_endpoint"] as? String == discovery["token_endpoint"] as? String && metadata["token_endpoint"] != nil)
    }

    @Test func noPasswordCodeOrTokenReachesALog() async throws {
        let f = try await AuthFixture()
        let patrold = try await Mesh.start("patrold", database: f.database, extra: ["GRIDMESH_LOG_LEVEL": "debug"])
        let code = try await f.invite("zhangmin")
        _ = try await f.post("/v1/activations", json: #"{"username":"zhangmin","code":"\#(code)","password":"\#(AuthFixture.password)"}"#)
        _ = try await f.signIn("zhangmin", password: "a-wrong-guess-here")
        let session = try await f.session("zhangmin")
        let refreshed = try AuthFixture.Session(try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=\(session.refreshToken!)"))
        _ = try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: refreshed.tokens["patrold"])
        _ = try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: refreshed.tokens["patrold"]! + "x")
        let logs = f.authd.log + patrold.log
        #expect(logs.contains("token refused"), "the logs were written")
        let secrets = [AuthFixture.password, "a-wrong-guess-here", code, session.refreshToken!, refreshed.refreshToken!] + Array(refreshed.tokens.values)
        for secret in secrets { #expect(!logs.contains(secret), "a secret is in a log") }
        let pool = f.database.pool(size: 1)
        defer { pool.close() }
        let stored = try await pool.query("SELECT coalesce(string_agg(t::text, ' '), '') FROM (SELECT * FROM auth.credentials) t").first!.decode(
            String.self, at: 0)
        #expect(!stored.contains(AuthFixture.password) && stored.contains("$argon2id$"))
    }

    @Test func authdsRoleHasTheMeshGrantsOfTheOtherDaemons() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let pool = database.pool(size: 1)
        defer { pool.close() }
        func grants(_ role: String) async throws -> [String] {
            try await pool.query(
                """
                SELECT table_schema || '.' || table_name || ':' || privilege_type FROM information_schema.role_table_grants
                WHERE grantee = $1 AND table_schema IN ('mesh', 'geo') ORDER BY 1
                """, [role]
            ).map { try $0.decode(String.self, at: 0) }
        }
        let patrold = try await grants("patrold")
        #expect(!patrold.isEmpty)
        #expect(try await grants("authd") == patrold)
    }
}

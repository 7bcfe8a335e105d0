import Auth
import Foundation
import GridCore
import HTTPClient
import Testing

@Suite("authd: invite, activation, sign-in, refresh, sign-out")
struct SignInTests {
    @Test func anInvitedPersonActivatesSignsInAndCallsADaemonWithTheirToken() async throws {
        let f = try await AuthFixture()
        let patrold = try await Mesh.start("patrold", database: f.database)
        try await f.enrol("zhangmin")
        let signedIn = try await f.signIn("zhangmin")
        #expect(signedIn.status == 201, "\(signedIn.text)")
        #expect(signedIn.header("Cache-Control") == "no-store")
        let body = try Mesh.json(signedIn)
        let session = try AuthFixture.Session(signedIn)
        #expect(Set(session.tokens.keys) == ["patrold", "meetingd", "reentryd", "vettingd", "authd"])
        #expect((body["expires_in"] as? Int) == 600 && (body["account"] as? [String: Any])?["role"] as? String == "grid_worker")
        #expect(session.refreshToken?.hasPrefix("gmr_") == true)

        let findings = try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: session.tokens["patrold"])
        #expect(findings.status == 200, "\(findings.text)")
        let me = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/me", token: session.tokens["authd"]))
        #expect((me["sessions"] as? [[String: Any]])?.first?["current"] as? Bool == true, "\(me)")

        // the code was spent
        let again = try await f.post("/v1/activations", json: #"{"username":"zhangmin","code":"XXXX-XXXX-XXXX","password":"another-long-phrase"}"#)
        #expect(again.status == 400 && again.text.contains("invalid-activation"))
    }

    @Test func aBrowserGetsItsRefreshTokenInAStrictHttpOnlyCookieOnly() async throws {
        let f = try await AuthFixture()
        try await f.enrol("sgh-officer")
        let signedIn = try await f.signIn("sgh-officer", client: "browser")
        #expect(signedIn.status == 201)
        #expect(try Mesh.json(signedIn)["refresh_token"] == nil, "not in the body")
        let cookie = try #require(signedIn.header("Set-Cookie"))
        #expect(cookie.hasPrefix("gridmesh_refresh=gmr_") && cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
        let value = String(cookie.split(separator: ";")[0])
        let refreshed = try await f.form("/v1/token", "grant_type=refresh_token&audience=meetingd", headers: [("Cookie", value)])
        #expect(refreshed.status == 200, "\(refreshed.text)")
        #expect(Set((try Mesh.json(refreshed)["access_tokens"] as? [String: String] ?? [:]).keys) == ["meetingd"])
        #expect(refreshed.header("Set-Cookie")?.hasPrefix("gridmesh_refresh=gmr_") == true && refreshed.header("Set-Cookie")?.hasPrefix(value + ";") == false)
    }

    @Test func aRefreshTokenIsGoodOnceAndItsReuseRevokesTheSession() async throws {
        let f = try await AuthFixture()
        let meetingd = try await Mesh.start("meetingd", database: f.database)
        try await f.enrol("sgh-officer")
        let first = try await f.session("sgh-officer")
        let refreshed = try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=\(first.refreshToken!)")
        #expect(refreshed.status == 200, "\(refreshed.text)")
        let second = try AuthFixture.Session(refreshed)
        #expect(second.id == first.id && second.refreshToken != first.refreshToken)
        let calendar = "/v1/streets/shuiguohu/meetings"
        #expect(try await Mesh.request("GET", meetingd.baseURL + calendar, token: second.tokens["meetingd"]).status == 200)

        // the first token, spent, comes back (copied by someone): the session ends for everyone
        let replayed = try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=\(first.refreshToken!)")
        #expect(replayed.status == 400 && AuthFixture.oauthError(replayed) == "invalid_grant", "\(replayed.text)")
        let next = try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=\(second.refreshToken!)")
        #expect(next.status == 400, "the live one is dead too")
        #expect(
            try await TestSupport.eventually(timeout: .seconds(1)) {
                try await Mesh.request("GET", meetingd.baseURL + calendar, token: second.tokens["meetingd"]).status == 401
            }, "meetingd refuses the session's access token within a second")

        let audit = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/audit?target=account:sgh-officer", token: try await f.inspector))
        let actions = ((audit["entries"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
        #expect(actions.contains("sign-in") && actions.contains("session.revoke"), "\(audit)")
    }

    @Test func signOutEndsTheSessionAndTheTokenEndpointSpeaksOAuth() async throws {
        let f = try await AuthFixture()
        try await f.enrol("lihua")
        let session = try await f.session("lihua")
        let out = try await Mesh.request("DELETE", f.authd.baseURL + "/v1/sessions/current", token: session.tokens["authd"])
        #expect(out.status == 204)
        #expect(try await Mesh.request("GET", f.authd.baseURL + "/v1/me", token: session.tokens["authd"]).status == 401)
        #expect(try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=\(session.refreshToken!)").status == 400)

        let unsupported = try await f.form("/v1/token", "grant_type=password&username=lihua&password=x")
        #expect(unsupported.status == 400 && AuthFixture.oauthError(unsupported) == "unsupported_grant_type")
        let missing = try await f.form("/v1/token", "refresh_token=abc")
        #expect(missing.status == 400 && AuthFixture.oauthError(missing) == "invalid_request")
        let json = try await f.post("/v1/token", json: #"{"grant_type":"refresh_token"}"#)
        #expect(json.status == 415)
        let audience = try await f.form("/v1/token", "grant_type=refresh_token&refresh_token=abc&audience=nowhered")
        #expect(audience.status == 400 && AuthFixture.oauthError(audience) == "invalid_target")
        // RFC 7009: revoking anything answers 200
        #expect(try await f.form("/v1/revoke", "token=gmr_nothing").status == 200)
    }

    @Test func aWeakPasswordIsRefusedAndTheCodeStaysUsable() async throws {
        let f = try await AuthFixture()
        let code = try await f.invite("chenjie")
        let weak = try await f.post("/v1/activations", json: #"{"username":"chenjie","code":"\#(code)","password":"password1234"}"#)
        #expect(weak.status == 422 && weak.text.contains("attackers"), "\(weak.text)")
        let lower = code.lowercased().replacingOccurrences(of: "-", with: " ")
        let good = try await f.post("/v1/activations", json: #"{"username":"chenjie","code":"\#(lower)","password":"\#(AuthFixture.password)"}"#)
        #expect(good.status == 200, "a code typed in lower case with spaces is the same code: \(good.text)")
        #expect(try Mesh.json(good)["totp_uri"] == nil, "a grid worker has no second factor")
        // a service account has no password
        let service = try await Mesh.gridctl(f.database, ["accounts", "invite", "svc-patrold"])
        #expect(service.0 != 0 && service.1.contains("client secrets"))
    }
}

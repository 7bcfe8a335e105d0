import Foundation
import GridCore
import HTTPClient
import Testing

@Suite("Service accounts: the client-credentials grant, secrets rotated with an overlap, never in a log")
struct ServiceClientTests {
    static func secret(in file: String) throws -> String {
        try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aServiceAccountGetsShortTokensForEachPeerWithItsSecret() async throws {
        let f = try await AuthFixture()
        let file = try await Mesh.clientSecret("svc-meetingd", database: f.database)
        let secret = try Self.secret(in: file)
        #expect(secret.hasPrefix("gmcs_") && secret.count > 40)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the secret file is the owner's alone")

        let posted = try await f.form("/v1/token", "grant_type=client_credentials&client_id=svc-meetingd&client_secret=\(secret)")
        #expect(posted.status == 200, "\(posted.text)")
        let body = try Mesh.json(posted)
        let tokens = try #require(body["access_tokens"] as? [String: String])
        #expect(Set(tokens.keys) == ["patrold", "meetingd", "reentryd", "vettingd", "authd"])
        #expect(body["refresh_token"] == nil && body["session_id"] == nil, "a service asks again with its secret: no session")
        let claims = JWTText.part(try #require(tokens["patrold"]), 1)
        #expect(claims["sub"] as? String == "svc-meetingd" && claims["role"] as? String == "service")
        #expect(claims["aud"] as? String == "patrold" || (claims["aud"] as? [String]) == ["patrold"])
        let lifetime = ((claims["exp"] as? NSNumber)?.doubleValue ?? 0) - ((claims["iat"] as? NSNumber)?.doubleValue ?? 0)
        #expect(lifetime > 0 && lifetime <= 600, "minutes, not days: \(lifetime) s")

        // HTTP Basic (RFC 6749 §2.3.1) works alike, and names one audience when asked
        let basic = Data("svc-meetingd:\(secret)".utf8).base64EncodedString()
        let viaBasic = try await f.form("/v1/token", "grant_type=client_credentials&audience=patrold", headers: [("Authorization", "Basic \(basic)")])
        #expect(viaBasic.status == 200, "\(viaBasic.text)")
        #expect((try Mesh.json(viaBasic)["access_tokens"] as? [String: String])?.keys.sorted() == ["patrold"])

        // patrold takes the token from meetingd acting for a person; another audience's it refuses
        let patrold = try await Mesh.start("patrold", database: f.database)
        let officer = [(Principal.onBehalfHeader, "sgh-officer street_officer street:shuiguohu")]
        let ledger = try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: tokens["patrold"], headers: officer)
        #expect(ledger.status == 200, "\(ledger.text)")
        #expect(try await Mesh.request("GET", patrold.baseURL + "/v1/findings", token: tokens["reentryd"], headers: officer).status == 401)
        #expect(!f.authd.log.contains(secret) && !f.authd.log.contains(tokens["patrold"]!), "no secret or token in authd's log")
    }

    @Test func aWrongSecretAPersonAndAnExpiredSecretAreRefused() async throws {
        let f = try await AuthFixture()
        let first = try Self.secret(in: try await Mesh.clientSecret("svc-vettingd", database: f.database))
        func grant(_ id: String, _ secret: String) async throws -> HTTPResponse {
            try await f.form("/v1/token", "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)")
        }
        let wrong = try await grant("svc-vettingd", "gmcs_" + String(repeating: "A", count: 43))
        #expect(wrong.status == 401 && AuthFixture.oauthError(wrong) == "invalid_client", "\(wrong.text)")
        let elsewhere = try await grant("svc-reentryd", first)
        #expect(elsewhere.status == 401, "a secret is its own account's only")
        let missing = try await f.form("/v1/token", "grant_type=client_credentials&client_id=svc-vettingd")
        #expect(missing.status == 401 && AuthFixture.oauthError(missing) == "invalid_client")
        let basic = Data("svc-vettingd:\(first)".utf8).base64EncodedString()
        let both = try await f.form(
            "/v1/token", "grant_type=client_credentials&client_secret=\(first)", headers: [("Authorization", "Basic \(basic)")])
        #expect(both.status == 400 && AuthFixture.oauthError(both) == "invalid_request", "one way of authenticating, not two")

        let (status, output) = try await Mesh.gridctl(f.database, ["accounts", "client-secret", "zhangmin"])
        #expect(status != 0 && output.contains("people sign in"), "a person gets no client secret: \(output)")

        // a new secret with the default overlap: both work; with none: the earlier ones stop at once
        let second = try Self.secret(in: try await Mesh.clientSecret("svc-vettingd", database: f.database))
        #expect(try await grant("svc-vettingd", first).status == 200)
        #expect(try await grant("svc-vettingd", second).status == 200)
        let (rotated, _) = try await Mesh.gridctl(f.database, ["accounts", "client-secret", "svc-vettingd", "--overlap-hours", "0"])
        #expect(rotated == 0)
        #expect(try await grant("svc-vettingd", first).status == 401)
        #expect(try await grant("svc-vettingd", second).status == 401)

        let audit = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/audit?action=client.failed", token: try await f.inspector))
        #expect(((audit["entries"] as? [Any]) ?? []).count >= 3, "failures are in the chain: \(audit)")
        #expect(!f.authd.log.contains(first) && !f.authd.log.contains(second))
    }
}

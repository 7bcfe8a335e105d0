import Daemon
import Foundation
import GridCore
import Testing

@Suite("Daemon HTTP: errors, auth, standard endpoints")
struct DaemonHTTPTests {
    let database: TestDatabase
    let patrold: DaemonProcess
    let worker: String

    init() async throws {
        database = try await TestDatabase.make()
        patrold = try await Mesh.start("patrold", database: database, extra: ["GRIDMESH_MAX_BODY_BYTES": "4096"])
        worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
    }

    func submit(_ body: String, token: String?) async throws -> (Int, [String: Any], String) {
        let response = try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: token, json: body)
        return (response.status, (try? Mesh.json(response)) ?? [:], response.header("Content-Type") ?? "")
    }

    func validFinding(id: UUID = UUID()) -> String {
        #"{"id":"\#(id.uuidString)","category":"environmental_sanitation","description":"垃圾堆放","observed_at":"\#(TestSupport.anHourAgo)"}"#
    }

    @Test func badJSONIs400ProblemJSON() async throws {
        let (status, body, type) = try await submit(#"{"id": "#, token: worker)
        #expect(status == 400)
        #expect(type == "application/problem+json")
        #expect(body["type"] as? String == "https://gridmesh.example/problems/bad-request")
        #expect((body["instance"] as? String)?.hasPrefix("urn:request:") == true)
        let (missing, missingBody, _) = try await submit(#"{"category":"other","description":"x","observed_at":"\#(TestSupport.anHourAgo)"}"#, token: worker)
        #expect(missing == 400)
        let errors = missingBody["errors"] as? [[String: String]]
        #expect(errors?.first?["field"] == "id")
        let (wrongType, _, _) = try await submit(#"{"id":"\#(UUID())","category":"other","description":"x","observed_at":"yesterday"}"#, token: worker)
        #expect(wrongType == 400)
    }

    @Test func invalidFieldsAre422WithEveryFieldNamed() async throws {
        let (status, body, _) = try await submit(
            #"{"id":"\#(UUID())","category":"unicorns","description":"  ","latitude":91,"observed_at":"\#(TestSupport.anHourAgo)"}"#, token: worker)
        #expect(status == 422)
        let fields = Set((body["errors"] as? [[String: String]] ?? []).compactMap { $0["field"] })
        #expect(fields.isSuperset(of: ["description", "latitude"]))
        let (unknown, unknownBody, _) = try await submit(
            #"{"id":"\#(UUID())","category":"unicorns","description":"x","observed_at":"\#(TestSupport.anHourAgo)"}"#, token: worker)
        #expect(unknown == 422)
        #expect((unknownBody["errors"] as? [[String: String]])?.first?["field"] == "category")
        let (badSystem, _, _) = try await submit(
            #"{"id":"\#(UUID())","category":"other","description":"x","latitude":30.5,"longitude":114.3,"coord_system":"mars","observed_at":"\#(TestSupport.anHourAgo)"}"#,
            token: worker)
        #expect(badSystem == 422)
    }

    @Test func anOversizeBodyIs413() async throws {
        let big = #"{"id":"\#(UUID())","category":"other","description":"\#(String(repeating: "x", count: 8000))","observed_at":"\#(TestSupport.anHourAgo)"}"#
        let (status, body, type) = try await submit(big, token: worker)
        #expect(status == 413)
        #expect(type == "application/problem+json")
        #expect(body["type"] as? String == "https://gridmesh.example/problems/too-large")
    }

    @Test func missingExpiredAndForgedTokensAre401() async throws {
        let (none, noneBody, _) = try await submit(validFinding(), token: nil)
        #expect(none == 401)
        #expect(noneBody["status"] as? Int == 401)

        let expired = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03", lifetime: .seconds(60), issuedAt: Date().addingTimeInterval(-3600))
        #expect(try await submit(validFinding(), token: expired).0 == 401)

        // signed by a key the daemon does not know, claiming the known key's id
        let other = TokenKeys.generate()
        let forgedIssuer = try await TokenIssuer(privateJWK: other.privateJWK.replacingOccurrences(of: other.keyID, with: TestKeys.generated.keyID))
        let forged = try await forgedIssuer.issue(TokenClaims(subject: "zhangmin", role: .admin, scope: .district, issuer: "gridmesh", lifetime: .seconds(600)))
        #expect(try await submit(validFinding(), token: forged).0 == 401)

        // a valid token with its payload swapped
        let parts = worker.split(separator: ".").map(String.init)
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let claims = String(decoding: try #require(Data(base64Encoded: payload)), as: UTF8.self).replacingOccurrences(of: "grid_worker", with: "admin")
        let forgedPayload = Data(claims.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(forgedPayload != parts[1])
        #expect(try await submit(validFinding(), token: [parts[0], forgedPayload, parts[2]].joined(separator: ".")).0 == 401)
        #expect(try await submit(validFinding(), token: "not-a-jwt").0 == 401)
        let response = try await Mesh.request(
            "POST", "\(patrold.baseURL)/v1/findings", json: validFinding(), headers: [("Authorization", "Basic Zm9vOmJhcg==")])
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
    }

    @Test func theWrongRoleIs403AndNothingChanges() async throws {
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        #expect(try await submit(validFinding(), token: officer).0 == 403)
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let count = try await pool.query("SELECT count(*) FROM patrol.findings").first!.decode(Int.self, at: 0)
        #expect(count == 0)
    }

    @Test func unknownRoutesAre404ProblemsAndRequestIDsEchoBack() async throws {
        let response = try await Mesh.request("GET", "\(patrold.baseURL)/v1/nothing-here", headers: [("X-Request-Id", "trace-123")])
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        // the caller's id, qualified so no two requests share one (the audit log keeps it)
        let echoed = try #require(response.header("X-Request-Id"))
        #expect(echoed.hasPrefix("trace-123.") && echoed.count == "trace-123.".count + 12, "\(echoed)")
        #expect(try Mesh.json(response)["instance"] as? String == "urn:request:\(echoed)")
        let again = try await Mesh.request("GET", "\(patrold.baseURL)/v1/nothing-here", headers: [("X-Request-Id", "trace-123")])
        #expect(again.header("X-Request-Id") != echoed, "a caller cannot make two requests share an id")
        let generated = try await Mesh.request("GET", "\(patrold.baseURL)/healthz", headers: [("X-Request-Id", "bad id with spaces")])
        #expect(generated.header("X-Request-Id").map { !$0.contains("bad") } == true)
    }

    @Test func standardEndpointsDescribeTheDaemon() async throws {
        let health = try await Mesh.request("GET", "\(patrold.baseURL)/healthz")
        #expect(health.status == 200)
        let ready = try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/readyz"))
        #expect(ready["status"] as? String == "ready")
        #expect(ready["listener"] as? String == "connected")

        let openapi = try Mesh.json(try await Mesh.request("GET", "\(patrold.baseURL)/openapi.json"))
        #expect(openapi["openapi"] as? String == "3.1.0")
        let paths = (openapi["paths"] as? [String: Any]) ?? [:]
        #expect(
            Set(paths.keys) == [
                "/healthz", "/readyz", "/metrics", "/openapi.json", "/v1/categories", "/v1/patrols", "/v1/patrols/{id}/end", "/v1/findings",
                "/v1/findings/{id}", "/v1/findings/{id}/transitions", "/v1/following", "/v1/findings/{id}/followers/me", "/v1/findings/{id}/rating",
                "/v1/clues", "/v1/clues/{id}", "/v1/clues/{id}/transfers", "/v1/findings/{id}/merge-candidates", "/v1/hotspots",
                "/v1/visit-requests", "/v1/visit-requests/{id}/report", "/open311/v2/services.json", "/open311/v2/services/{code}.json",
                "/open311/v2/requests.json", "/open311/v2/requests/{id}.json", "/v1/assessment", "/v1/findings/{id}/photos",
                "/v1/findings/{id}/photos/{sha256}", "/v1/callbacks/agencies/{agency}/progress", "/v1/clues/{id}/named-persons", "/v1/clue-checks",
                "/v1/webhooks", "/v1/webhooks/{id}",
                "/v1/webhooks/{id}/pause", "/v1/webhooks/{id}/resume", "/v1/webhooks/{id}/rotate-secret", "/v1/webhooks/{id}/deliveries",
                "/v1/webhooks/{id}/replay", "/v1/audit", "/v1/open311-keys", "/v1/open311-keys/{id}", "/v1/grids", "/v1/live",
            ])

        _ = try await submit(validFinding(), token: worker)
        let metrics = try await Mesh.request("GET", "\(patrold.baseURL)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("gridmesh_http_requests_total"))
        #expect(metrics.text.contains(#"route="/v1/findings""#))
        #expect(!metrics.text.contains("zhangmin"), "no personal data in metrics")
        // every family says what it is: a HELP line right above each TYPE line
        let lines = metrics.text.split(separator: "\n")
        let families = lines.indices.filter { lines[$0].hasPrefix("# TYPE ") }
        #expect(families.count >= 5)
        for index in families {
            let name = lines[index].split(separator: " ")[2]
            #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(name) has no HELP")
        }
    }
}

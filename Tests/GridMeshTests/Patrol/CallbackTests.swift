import Foundation
import GridCore
import HTTPClient
import Testing
import Webhooks

@Suite("Signed callbacks")
struct CallbackTests {
    @Test func theStandardWebhooksTestVectorSigns() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(
            WebhookSignature.isValid(
                header: "v1,bm9wZQ== " + signature!, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: [secret]))
        #expect(!WebhookSignature.isValid(header: signature!, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_331, body: body, secrets: [secret]))
        #expect(
            !WebhookSignature.isValid(
                header: signature!, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: [WebhookSignature.newSecret()]))
        #expect(WebhookSignature.key(of: "whsec_short") == nil)
    }

    @Test func anAgencysSignedProgressMovesItsFindingAndForgeriesAndReplaysAreRefused() async throws {
        let f = try await PatrolFixture()
        let id = try await f.newFinding(f.zhangmin)
        try await f.step(f.officer, id, #"{"action":"dispatch"}"#)
        let (status, log) = try await Mesh.gridctl(f.database, ["callbacks", "secret", "--agency", "shuiguohu/city_management"])
        #expect(status == 0, "\(log)")
        let secret = try #require(log.split(separator: "\n").first { $0.hasPrefix("whsec_") }.map(String.init))

        let url = "\(f.url)/v1/callbacks/agencies/shuiguohu%2Fcity_management/progress"
        func send(_ body: String, id webhookID: String = "msg_\(UUID().uuidString)", timestamp: Int = Int(Date().timeIntervalSince1970), secret: String)
            async throws -> HTTPResponse
        {
            let bytes = Array(body.utf8)
            let signature = WebhookSignature.sign(id: webhookID, timestamp: timestamp, body: bytes, secret: secret)!
            return try await Mesh.http.send(
                HTTPRequest(
                    method: "POST", url: url,
                    headers: [
                        ("Content-Type", "application/json"), ("webhook-id", webhookID), ("webhook-timestamp", String(timestamp)),
                        ("webhook-signature", signature),
                    ],
                    body: bytes))
        }
        let start = #"{"finding_id":"\#(id)","action":"start"}"#
        #expect(try await send(start, secret: WebhookSignature.newSecret()).status == 401, "a bad signature")
        #expect(try await send(start, timestamp: Int(Date().timeIntervalSince1970) - 600, secret: secret).status == 401, "a stale timestamp")
        let unsigned = try await Mesh.http.send(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Array(start.utf8)))
        #expect(unsigned.status == 401)

        let first = try await send(start, id: "msg_once", secret: secret)
        #expect(first.status == 200, "\(first.text)")
        #expect(try Mesh.json(first)["state"] as? String == "in_progress")
        #expect(try await send(start, id: "msg_once", secret: secret).status == 409, "a replayed id")

        let resolve = #"{"finding_id":"\#(id)","action":"resolve","reason":"已清运"}"#
        #expect(try await send(resolve, secret: secret).status == 200)
        #expect(try await send(#"{"finding_id":"\#(id)","action":"close"}"#, secret: secret).status == 422)
        // another agency's secret does not move this agency's finding
        let otherURL = "\(f.url)/v1/callbacks/agencies/shuiguohu%2Fpolice_station/progress"
        #expect(try await Mesh.http.send(HTTPRequest(method: "POST", url: otherURL, headers: [], body: Array(start.utf8))).status == 401)
        let history = (try Mesh.json(try await f.get(f.officer, "/v1/findings/\(id)"))["history"] as? [[String: Any]]) ?? []
        #expect(history.compactMap { $0["actor"] as? String }.suffix(2) == ["callback:shuiguohu/city_management", "callback:shuiguohu/city_management"])
    }
}

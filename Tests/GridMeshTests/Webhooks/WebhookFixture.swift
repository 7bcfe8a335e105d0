import Foundation
import GridCore
import HTTPClient
import Testing

/// patrold delivering its events to a real webhook receiver process, with a fast retry schedule.
struct WebhookFixture {
    let patrol: PatrolFixture
    let admin: String
    var receiver: DaemonProcess
    let recordFile: String

    init(extra: [String: String] = [:]) async throws {
        patrol = try await PatrolFixture(
            extra: ["GRIDMESH_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", "GRIDMESH_WEBHOOK_RETRY_SECONDS": "1,1,1,1,1,1,1", "GRIDMESH_POLL_MS": "300"].merging(extra) {
                _, new in new
            })
        admin = try await TestKeys.token("admin", .admin, "district")
        recordFile = TestScratch.path("received-\(UUID().uuidString.prefix(8)).jsonl")
        // a port below the ephemeral range, so a test can stop the receiver and start it again there
        receiver = try await Self.startReceiver(port: try TestPorts.reserve(), recordFile: recordFile)
    }

    static func startReceiver(port: Int, recordFile: String) async throws -> DaemonProcess {
        let process = try DaemonProcess("webhook-receiver", environment: ["GRIDMESH_HTTP_PORT": "\(port)", "GRIDMESH_RECEIVER_RECORD": recordFile])
        try await process.start()
        return process
    }

    var url: String { patrol.url }

    /// Subscribes the receiver to `topics`; tells the receiver the secret. Returns the endpoint id.
    func subscribe(_ topics: [String], path: String = "patrold", agency: String? = nil) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let body =
            #"{"id":"\#(id)","url":"\#(receiver.baseURL)/hooks/\#(path)","topics":["\#(topics.joined(separator: "\",\""))"]\#(agency.map { #","agency_code":"\#($0)""# } ?? "")}"#
        let response = try await Mesh.request("POST", "\(url)/v1/webhooks", token: admin, json: body)
        #expect(response.status == 201, "\(response.text)")
        let secret = try #require(try Mesh.json(response)["secret"] as? String)
        try await control(#"{"secrets":["\#(secret)"]}"#)
        return id
    }

    /// The endpoint's current secret, opened as its daemon opens it (the database holds it sealed).
    func storedSecret() async throws -> String {
        let pool = patrol.database.pool(size: 1)
        defer { pool.close() }
        let row = try #require(try await pool.query("SELECT id, secret FROM mesh.webhook_endpoints").first)
        return try TestKeys.secrets.open(try row.decode(String.self, at: 1), for: "endpoint:\(try row.decode(UUID.self, at: 0))")
    }

    func control(_ json: String, on receiver: DaemonProcess? = nil) async throws {
        #expect(try await Mesh.request("POST", "\((receiver ?? self.receiver).baseURL)/control", json: json).status == 204)
    }

    func received(from receiver: DaemonProcess? = nil) async throws -> [[String: Any]] {
        let response = try await Mesh.request("GET", "\((receiver ?? self.receiver).baseURL)/received")
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
    }

    func deliveries(_ endpoint: String) async throws -> [[String: Any]] {
        let response = try await Mesh.request("GET", "\(url)/v1/webhooks/\(endpoint)/deliveries?limit=200", token: admin)
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
    }

    @discardableResult
    func submit() async throws -> String {
        (try await patrol.submit(patrol.zhangmin)["id"] as? String ?? "").lowercased()
    }
}

import Daemon
import Foundation
import GridCore
import HTTPTypes
import Hummingbird
import Synchronization
import Webhooks

/// A small webhook receiver for demos and tests: verifies Standard Webhooks signatures (5-minute
/// tolerance, several secrets), drops duplicates by `webhook-id` per hook (each `name` stands for
/// a back office of its own, and one event may be sent to several), records what it accepted (in
/// memory, and as JSON lines in `GRIDMESH_RECEIVER_RECORD` when set) and can be told to fail.
///
/// - `POST /hooks/{name}`: a delivery.
/// - `GET /received`: everything accepted, once each, in arrival order.
/// - `POST /control`: `{"secrets": [...]}` sets the secrets; `{"status": 503, "retry_after": "2", "times": 3}`
///   answers the next deliveries with that status (and `location`, for a redirect; `times` omitted:
///   until told otherwise; status 0 stops).
@main
struct Receiver {
    struct Record: Codable, Sendable {
        let name: String
        let id: String
        let type: String?
        let receivedAt: Date
        let body: String
    }

    struct Control: Codable, Sendable {
        let secrets: [String]?
        let status: Int?
        let retryAfter: String?
        let location: String?
        let times: Int?
    }

    struct State: Sendable {
        var secrets: [String]
        var seen: Set<String> = []
        var records: [Record] = []
        var failure: (status: Int, retryAfter: String?, location: String?, remaining: Int?)?
        var refused = 0
    }

    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        var secrets = (environment["GRIDMESH_RECEIVER_SECRETS"] ?? "").split(separator: ",").map(String.init)
        if let file = environment["GRIDMESH_RECEIVER_SECRETS_FILE"], let text = try? String(contentsOfFile: file, encoding: .utf8) {
            secrets += text.split(whereSeparator: \.isNewline).map(String.init)
        }
        let recordFile = environment["GRIDMESH_RECEIVER_RECORD"]
        let state = Mutex(State(secrets: secrets))
        if let recordFile, let text = try? String(contentsOfFile: recordFile, encoding: .utf8) {
            // a restart keeps what it had: duplicates stay duplicates
            for line in text.split(separator: "\n") {
                if let record = try? WireJSON.decoder().decode(Record.self, from: Data(line.utf8)) {
                    state.withLock {
                        $0.seen.insert(record.name + " " + record.id)
                        $0.records.append(record)
                    }
                }
            }
        }
        let router = Router()
        router.post("/hooks/{name}") { request, context -> Response in
            let body = Array(try await request.body.collect(upTo: 4 << 20).readableBytesView)
            let failure: (Int, String?, String?)? = state.withLock { state in
                guard let failure = state.failure else { return nil }
                if let remaining = failure.remaining {
                    state.failure = remaining <= 1 ? nil : (failure.status, failure.retryAfter, failure.location, remaining - 1)
                }
                return (failure.status, failure.retryAfter, failure.location)
            }
            if let (status, retryAfter, location) = failure {
                var headers: HTTPFields = [:]
                if let retryAfter { headers[.retryAfter] = retryAfter }
                if let location { headers[.location] = location }
                return Response(status: .init(code: status), headers: headers)
            }
            let secrets = state.withLock { $0.secrets }
            let id: String
            do {
                id = try InboundWebhooks.verify(
                    id: request.headers[HTTPField.Name("webhook-id")!], timestamp: request.headers[HTTPField.Name("webhook-timestamp")!],
                    signature: request.headers[HTTPField.Name("webhook-signature")!], body: body, secrets: secrets, now: Date())
            } catch {
                state.withLock { $0.refused += 1 }
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "\(error)")))
            }
            let text = String(decoding: body, as: UTF8.self)
            let type = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["type"] as? String
            let record = Record(name: context.parameters.get("name") ?? "", id: id, type: type, receivedAt: Date(), body: text)
            let line = try WireJSON.encoder().encode(record) + Data("\n".utf8)
            // recorded before it is acknowledged, one whole line at a time: concurrent deliveries
            // must not overwrite each other's lines, or a restart would forget what was accepted
            let key = record.name + " " + id
            let fresh = state.withLock { state -> Bool? in
                guard !state.seen.contains(key) else { return false }
                if let recordFile, !appendLine(line, to: recordFile) { return nil }
                state.seen.insert(key)
                state.records.append(record)
                return true
            }
            guard let fresh else { return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "could not record it"))) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: fresh ? #"{"received":true}"# : #"{"duplicate":true}"#)))
        }
        router.get("/received") { _, _ -> Response in
            let records = state.withLock { $0.records }
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try WireJSON.encoder().encode(records))))
        }
        router.post("/control") { request, context -> Response in
            let control = try WireJSON.decoder().decode(Control.self, from: Data(try await request.body.collect(upTo: 1 << 16).readableBytesView))
            state.withLock { state in
                if let secrets = control.secrets { state.secrets = secrets }
                if let status = control.status { state.failure = status == 0 ? nil : (status, control.retryAfter, control.location, control.times) }
            }
            return Response(status: .noContent)
        }
        router.get("/healthz") { _, _ in "ok" }
        let host = environment["GRIDMESH_HTTP_HOST"] ?? "127.0.0.1"
        let port = Int(environment["GRIDMESH_HTTP_PORT"] ?? "") ?? 8090
        let notifier = SystemdNotifier()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "webhook-receiver"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                notifier.ready(status: "listening on \(host):\(bound)")
                print("webhook-receiver listening on \(host):\(bound)")
            })
        try await app.runService()
    }
}

/// Appends `data` to `path` (O_APPEND, so concurrent writers never overwrite each other); false
/// if it could not all be written.
func appendLine(_ data: Data, to path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    return data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == data.count
}

import Daemon
import Foundation
import HTTPClient

/// Starting the real daemons against a test database, and talking to them over real HTTP.
enum Mesh {
    static let http = HTTPClient(threads: 4)

    static func environment(_ daemon: String, database: TestDatabase, extra: [String: String] = [:]) -> [String: String] {
        [
            "GRIDMESH_DATABASE": database.conninfo(user: daemon), "GRIDMESH_HTTP_PORT": "0", "GRIDMESH_TOKEN_KEYS_FILE": TestKeys.jwksFile,
            "GRIDMESH_POLL_MS": "500", "GRIDMESH_SEALING_KEY_FILE": TestKeys.personalDataFiles.sealing, "GRIDMESH_SECRETS_KEY_FILE": TestKeys.secretsFile,
            "GRIDMESH_LOOKUP_KEY_FILE": TestKeys.personalDataFiles.lookup, "GRIDMESH_LOG_LEVEL": "info",
            "GRIDMESH_DATA_DIR": TestScratch.path("data-\(UUID().uuidString.prefix(8))"), "GRIDMESH_CLOCK_FILE": TestClock.file,
        ].merging(extra) { _, new in new }
    }

    static func start(_ daemon: String, database: TestDatabase, extra: [String: String] = [:]) async throws -> DaemonProcess {
        let process = try DaemonProcess(daemon, environment: environment(daemon, database: database, extra: extra))
        try await process.start()
        return process
    }

    static func request(
        _ method: String, _ url: String, token: String? = nil, json: String? = nil, headers: [(String, String)] = [], bodyText: String? = nil
    ) async throws -> HTTPResponse {
        var all = headers.map { (name: $0.0, value: $0.1) }
        if let token { all.append((name: "Authorization", value: "Bearer \(token)")) }
        if json != nil { all.append((name: "Content-Type", value: "application/json")) }
        return try await http.send(HTTPRequest(method: method, url: url, headers: all, body: (json ?? bodyText).map { Array($0.utf8) }))
    }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw Failure("not a JSON object: \(response.text)")
        }
        return object
    }

    static func jsonArray(_ response: HTTPResponse) throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
            throw Failure("not a JSON array of objects: \(response.text)")
        }
        return array
    }

    /// Four of the five heads of Shuiguohu's committee: quorum at the default 4.
    static let fourHeads = ["shuiguohu/city_management", "shuiguohu/police_station", "shuiguohu/judicial_office", "shuiguohu/market_regulation"]

    /// A Shuiguohu meeting scheduled in a minute and started by `officer` with `present`; its id.
    static func meetingInProgress(at meetingd: DaemonProcess, officer: String, present: [String] = fourHeads) async throws -> String {
        let meeting = UUID().uuidString
        let body = #"{"id":"\#(meeting)","title":"碰头会","starts_at":"\#(TestClock.rfc3339(60))","duration_minutes":60}"#
        let scheduled = try await request("POST", "\(meetingd.baseURL)/v1/streets/shuiguohu/meetings", token: officer, json: body)
        guard scheduled.status == 201 else { throw Failure("scheduling a meeting: \(scheduled.status) \(scheduled.text)") }
        let heads = present.map { "\"\($0)\"" }.joined(separator: ",")
        let started = try await request("POST", "\(meetingd.baseURL)/v1/meetings/\(meeting)/start", token: officer, json: #"{"present":[\#(heads)]}"#)
        guard started.status == 200 else { throw Failure("starting a meeting: \(started.status) \(started.text)") }
        return meeting
    }

    /// A client secret for service account `subject` from `gridctl accounts client-secret`, in a file.
    static func clientSecret(_ subject: String, database: TestDatabase) async throws -> String {
        let file = TestScratch.path("\(subject)-\(UUID().uuidString.prefix(8)).secret")
        let (status, output) = try await gridctl(database, ["accounts", "client-secret", subject, "--file", file])
        guard status == 0 else { throw Failure("gridctl accounts client-secret \(subject): \(status) \(output)") }
        return file
    }

    /// Runs `gridctl` against the test database; returns its exit status and output.
    static func gridctl(_ database: TestDatabase, _ arguments: [String]) async throws -> (Int32, String) {
        let process = try DaemonProcess(
            "gridctl",
            environment: [
                "GRIDMESH_ADMIN_DATABASE": database.conninfo(), "GRIDMESH_CLOCK_FILE": TestClock.file, "GRIDMESH_SECRETS_KEY_FILE": TestKeys.secretsFile,
            ])
        process.process.arguments = arguments
        try process.process.run()
        let status = try await process.waitForExit(timeout: .seconds(30))
        return (status, process.log)
    }
}

import Foundation
import GridCore
import Scenario
import Synchronization
import Testing

/// The whole mesh as separate processes on a test database — authd, patrold, meetingd, reentryd,
/// vettingd and a webhook receiver — with one shifted clock file, fast sweeps and retries, and the
/// means to SIGKILL and restart any of them on the port it had. The daemons fetch authd's keys and
/// call each other with tokens authd gives their service accounts; the cast signs in at authd.
final class ScenarioMesh: @unchecked Sendable {
    let database: TestDatabase
    let clockFile = TestScratch.path("clock-\(UUID().uuidString.prefix(8))")
    let recordFile = TestScratch.path("received-\(UUID().uuidString.prefix(8)).jsonl")
    private let processes = Mutex<[String: DaemonProcess]>([:])
    private let secrets = Mutex<[String]>([])
    private var ports: [String: Int] = [:]

    static let order = ["authd", "patrold", "reentryd", "vettingd", "meetingd"]
    /// Every person's password in the demo directory (`gridctl accounts demo`).
    static let password = "violet-kettle-harbour"
    private var authenticators = ""

    init() async throws {
        database = try await TestDatabase.make()
        try ShiftedWallClock(file: clockFile).set(to: RFC3339.parse(ShuiguohuWeek.beginning)!)
        for daemon in ["meetingd", "reentryd", "vettingd"] { clientSecrets[daemon] = try await Mesh.clientSecret("svc-\(daemon)", database: database) }
        let (status, printed) = try await Mesh.gridctl(database, ["accounts", "demo", "--password", Self.password])
        guard status == 0 else { throw Failure("gridctl accounts demo: \(printed)") }
        authenticators = printed
        // ports below the ephemeral range: a daemon killed and started again gets its port back
        let receiver = try await Self.receiver(port: try TestPorts.reserve(), recordFile: recordFile, secrets: [])
        processes.withLock { $0["receiver"] = receiver }
        ports["receiver"] = receiver.port
        for daemon in Self.order { ports[daemon] = try TestPorts.reserve() }
        for daemon in Self.order {
            let process = try await Mesh.start(daemon, database: database, extra: environment(daemon, port: ports[daemon] ?? 0))
            processes.withLock { $0[daemon] = process }
            ports[daemon] = process.port
        }
    }

    private var clientSecrets: [String: String] = [:]

    func url(_ name: String) -> String { "http://127.0.0.1:\(ports[name] ?? 0)" }

    var addresses: MeshAddresses {
        MeshAddresses(
            authd: url("authd"), patrold: url("patrold"), meetingd: url("meetingd"), reentryd: url("reentryd"), vettingd: url("vettingd"),
            receiver: url("receiver"))
    }

    /// What every daemon of the scenario runs with: the mesh clock, sweeps and requests every few
    /// hundred milliseconds, short leases, a webhook retry schedule of seconds.
    func environment(_ daemon: String, port: Int) -> [String: String] {
        var environment = [
            "GRIDMESH_HTTP_PORT": "\(port)", "GRIDMESH_CLOCK_FILE": clockFile, "GRIDMESH_SUPERVISION_MS": "200", "GRIDMESH_BULLETIN_MS": "200",
            "GRIDMESH_VISIT_REQUEST_MS": "100", "GRIDMESH_PATROL_REQUEST_MS": "100", "GRIDMESH_CROSS_CHECK_MS": "100", "GRIDMESH_POLL_MS": "300",
            "GRIDMESH_LEASE_MS": "2000", "GRIDMESH_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", "GRIDMESH_WEBHOOK_RETRY_SECONDS": "1,1,2,3,5,8,13",
            "GRIDMESH_REENTRY_GRACE_DAYS": "2", "GRIDMESH_SHUTDOWN_TIMEOUT_MS": "3000",
            // keys from authd, not the test key file
            "GRIDMESH_AUTHD_URL": url("authd"), "GRIDMESH_TOKEN_KEYS_FILE": "",
        ]
        if daemon == "authd" { environment["GRIDMESH_TOKEN_SIGNING_KEY_FILE"] = TestKeys.signingKeyFile }
        if let secret = clientSecrets[daemon] {
            environment["GRIDMESH_PATROLD_URL"] = url("patrold")
            environment["GRIDMESH_CLIENT_SECRET_FILE"] = secret
        }
        if daemon == "vettingd" { environment["GRIDMESH_REENTRYD_URL"] = url("reentryd") }
        return environment
    }

    static func receiver(port: Int, recordFile: String, secrets: [String]) async throws -> DaemonProcess {
        let process = try DaemonProcess(
            "webhook-receiver",
            environment: ["GRIDMESH_HTTP_PORT": "\(port)", "GRIDMESH_RECEIVER_RECORD": recordFile, "GRIDMESH_RECEIVER_SECRETS": secrets.joined(separator: ",")])
        try await process.start()
        return process
    }

    /// The city management squad's callback secret, as the district issues it.
    func squadSecret() async throws -> String {
        let (status, log) = try await Mesh.gridctl(database, ["callbacks", "secret", "--agency", "shuiguohu/city_management"])
        guard status == 0, let secret = log.split(separator: "\n").first(where: { $0.hasPrefix("whsec_") }) else { throw Failure("gridctl: \(log)") }
        return String(secret)
    }

    func settings() async throws -> ShuiguohuWeek.Settings {
        var settings = ShuiguohuWeek.Settings(
            mesh: addresses,
            signIn: .init(authd: url("authd"), password: Self.password, authenticators: ShuiguohuWeek.SignIn.authenticators(in: authenticators)),
            clock: ShiftedWallClock(file: clockFile), squadSecret: try await squadSecret())
        settings.subscribed = { [self] given in secrets.withLock { $0 = given } }
        return settings
    }

    /// The crash: SIGKILL, then the same daemon started again on its port.
    func killAndRestart(_ daemon: String) async throws {
        let old = processes.withLock { $0[daemon] }
        try await old?.kill()
        let process = try await Mesh.start(daemon, database: database, extra: environment(daemon, port: ports[daemon] ?? 0))
        processes.withLock { $0[daemon] = process }
    }

    func stopReceiver() async throws {
        try await processes.withLock { $0["receiver"] }?.kill()
    }

    /// The receiver back on its port, with its record (and so its dedupe) and the week's secrets.
    func startReceiver() async throws {
        let process = try await Self.receiver(port: ports["receiver"] ?? 0, recordFile: recordFile, secrets: secrets.withLock { $0 })
        processes.withLock { $0["receiver"] = process }
    }

    /// Every process's log, for a failure.
    var logs: String { processes.withLock { $0.map { "== \($0.key)\n\($0.value.log.suffix(4000))" }.joined(separator: "\n") } }

    /// Every line every process of the mesh wrote, whole.
    var completeLogs: [String: String] { processes.withLock { $0.mapValues(\.log) } }

    /// A mesh for `body`, stopped (and its database dropped) however `body` ends.
    static func running<T>(_ body: (ScenarioMesh) async throws -> T) async throws -> T {
        let mesh = try await ScenarioMesh()
        do {
            let result = try await body(mesh)
            await mesh.stop()
            return result
        } catch {
            await mesh.stop()
            throw error
        }
    }

    func stop() async {
        for process in processes.withLock({ Array($0.values) }) { _ = try? await process.terminate(timeout: .seconds(10)) }
        database.drop()
    }
}

import Foundation

/// A daemon executable started as a real process, told its port and readiness over a real
/// sd_notify datagram socket.
final class DaemonProcess: @unchecked Sendable {
    let binary: String
    let process = Process()
    let notifySocket: NotifySocket
    let logFile: String
    private(set) var port = 0
    /// Every datagram the daemon sent to $NOTIFY_SOCKET, in order.
    private(set) var notifications: [String] = []

    static var binDirectory: String {
        if let bin = ProcessInfo.processInfo.environment["GRIDMESH_BIN"] { return bin }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }

    init(_ binary: String, environment: [String: String]) throws {
        self.binary = binary
        notifySocket = try NotifySocket()
        logFile = TestScratch.path("\(binary)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: "\(Self.binDirectory)/\(binary)")
        // Only what the test names: a developer's GRIDMESH_* settings (a clock file, a peer URL of a
        // running mesh) never reach a daemon under test.
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GRIDMESH_") || $0.key == "GRIDMESH_BIN" }
        env.merge(environment) { _, new in new }
        env["NOTIFY_SOCKET"] = notifySocket.path
        process.environment = env
        process.standardError = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = FileHandle(forWritingAtPath: logFile)
    }

    /// Starts the process and waits for READY=1; returns the port it listens on.
    @discardableResult
    func start(timeout: Duration = .seconds(30)) async throws -> Int {
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            collect()
            if let ready = notifications.first(where: { $0.contains("READY=1") }) {
                if let range = ready.range(of: #"listening on [^:]+:(\d+)"#, options: .regularExpression) {
                    port = Int(ready[range].split(separator: ":").last!)!
                }
                return port
            }
            guard process.isRunning else { throw Failure("\(binary) exited with \(process.terminationStatus): \(log)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure("\(binary) did not say READY=1 in time: \(log)")
    }

    /// Reads whatever datagrams have arrived.
    func collect() { notifications += notifySocket.receiveAll() }

    /// SIGTERM, then waits for the exit; returns the exit status.
    func terminate(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        return try await waitForExit(timeout: timeout)
    }

    /// SIGKILL: the crash case.
    func kill() async throws {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit(timeout: .seconds(10))
    }

    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw Failure("\(binary) did not exit in time") }
            try await Task.sleep(for: .milliseconds(10))
        }
        collect()
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A bound SOCK_DGRAM unix socket, as systemd's notify socket is.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32

    init() throws {
        path = TestScratch.path("notify-\(UUID().uuidString.prefix(8)).sock")
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw Failure("bind(\(path)) failed") }
    }

    func receiveAll() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import CLibPQ
import Foundation
import Logging

/// The body of the listener thread: connect, LISTEN, wait on the socket and the wake pipe, repeat.
struct ListenerLoop {
    let listener: PostgresListener
    private var state: ListenerState { listener.state }
    private var configuration: PostgresListener.Configuration { listener.configuration }
    private let logger = Logger(label: "gridmesh.listener")

    init(listener: PostgresListener) { self.listener = listener }

    func run() {
        var backoff = configuration.initialBackoff
        while !state.isStopped {
            do {
                let connection = try PostgresConnection(
                    conninfo: configuration.conninfo, settings: SessionSettings(applicationName: "gridmesh-listener", statementTimeout: .seconds(5)))
                for channel in configuration.channels {
                    try connection.execute(script: "LISTEN \(try identifier(channel, on: connection))")
                }
                state.setConnected(pid: connection.backendPID)
                state.broadcast(.connected)
                backoff = configuration.initialBackoff
                serve(connection)
                state.setConnected(pid: nil)
                if !state.isStopped { logger.warning("listener connection lost; reconnecting") }
            } catch {
                state.setConnected(pid: nil)
                logger.warning("listener cannot connect", metadata: ["error": "\(error)", "retry_in_ms": "\(backoff.milliseconds)"])
                let jittered = Duration.milliseconds(Int64.random(in: (backoff.milliseconds / 2)...max(1, backoff.milliseconds)))
                waitForWake(timeoutMilliseconds: Int32(jittered.milliseconds))
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
        }
    }

    /// Serves one connection until it is lost or the listener stops.
    private func serve(_ connection: PostgresConnection) {
        let socket = PQsocket(connection.handle)
        let window = configuration.hintWindow
        var lastSent: [String: ContinuousClock.Instant] = [:]
        var pending: Set<String> = []
        while !state.isStopped {
            var timeout: Int32 = -1
            if !pending.isEmpty {
                let now = ContinuousClock.now
                let earliest = pending.compactMap { lastSent[$0].map { $0 + window } }.min() ?? now
                timeout = Int32(max(0, (earliest - now).milliseconds))
                if earliest > now && timeout == 0 { timeout = 1 }
            }
            var fds = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: state.wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, timeout)
            if state.isStopped { return }
            if ready < 0 && errno != EINTR { return }
            if fds[1].revents != 0 {
                state.drainWake()
                pending.formUnion(state.takeHints())
            }
            if fds[0].revents != 0 {
                guard PQconsumeInput(connection.handle) == 1 else { return }
            }
            if !deliverNotifications(connection) { return }
            if !pending.isEmpty {
                let now = ContinuousClock.now
                let due = pending.filter { lastSent[$0].map { now >= $0 + window } ?? true }
                if !due.isEmpty {
                    do {
                        let sql = try due.map { "NOTIFY \(try identifier($0, on: connection))" }.joined(separator: "; ")
                        try connection.execute(script: sql)
                    } catch {
                        logger.warning("sending hints failed", metadata: ["error": "\(error)"])
                        return
                    }
                    for channel in due { lastSent[channel] = now }
                    pending.subtract(due)
                    if !deliverNotifications(connection) { return }
                }
            }
        }
    }

    /// Hands every queued notification to the consumers; false if the connection is gone.
    private func deliverNotifications(_ connection: PostgresConnection) -> Bool {
        while let notify = PQnotifies(connection.handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = String(cString: notify.pointee.extra)
            PQfreemem(notify)
            state.broadcast(.notification(channel: channel, payload: payload))
        }
        return PQstatus(connection.handle) == CONNECTION_OK
    }

    private func waitForWake(timeoutMilliseconds: Int32) {
        var fds = [pollfd(fd: state.wakeRead, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, timeoutMilliseconds)
        if fds[0].revents != 0 { state.drainWake() }
        _ = state.takeHints()  // nobody to send them to while disconnected; the fallback poll covers it
    }

    private func identifier(_ name: String, on connection: PostgresConnection) throws -> String {
        guard let escaped = PQescapeIdentifier(connection.handle, name, name.utf8.count) else {
            throw PostgresError(code: .connectionFailure, message: "cannot escape channel name")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}

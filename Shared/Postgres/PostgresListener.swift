import CLibPQ
import Foundation
import Logging

/// What a listener tells its consumers.
public enum ListenerEvent: Sendable, Equatable {
    /// The listener is (again) connected and listening: whatever was sent meanwhile is lost, so catch up.
    case connected
    case notification(channel: String, payload: String)
}

/// The one LISTEN connection of a process, on a thread of its own.
///
/// It reconnects after any loss with exponential backoff and jitter, LISTENs again and yields
/// `.connected` so consumers catch up from the tables. It also sends the process's coalesced
/// NOTIFY hints (see `NotifyHints`). `shutdown()` wakes it at once through a pipe.
public final class PostgresListener: Sendable {
    public struct Configuration: Sendable {
        public var conninfo: String
        public var channels: [String]
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// Hints to one channel are sent at most once per window; later ones in the window trail it.
        public var hintWindow: Duration

        public init(
            conninfo: String = "", channels: [String], initialBackoff: Duration = .milliseconds(100),
            maxBackoff: Duration = .seconds(10), hintWindow: Duration = .milliseconds(1)
        ) {
            self.conninfo = conninfo
            self.channels = channels
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.hintWindow = hintWindow
        }
    }

    public let configuration: Configuration
    let state: ListenerState
    private let logger: Logger

    public init(_ configuration: Configuration, logger: Logger = Logger(label: "gridmesh.listener")) {
        self.configuration = configuration
        self.logger = logger
        self.state = ListenerState()
    }

    /// Starts the listener thread. Call once.
    public func start() {
        let thread = Thread { [self] in
            Thread.current.name = "pg-listener"
            ListenerLoop(listener: self).run()
        }
        thread.start()
    }

    /// A stream of events for one consumer. A consumer that subscribes while the listener is
    /// connected gets `.connected` at once, so it always starts with a catch-up.
    public func events() -> AsyncStream<ListenerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ListenerEvent.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        let connected = state.add(consumer: id, continuation)
        if connected { continuation.yield(.connected) }
        continuation.onTermination = { [state] _ in state.remove(consumer: id) }
        return stream
    }

    /// Asks the listener thread to NOTIFY these channels (coalesced; payload empty).
    public func hint(_ channels: some Sequence<String>) {
        if state.addHints(channels) { state.wake() }
    }

    public var isConnected: Bool { state.isConnected }

    /// The backend pid of the listening session, or nil while disconnected (for tests and diagnostics).
    public var backendPID: Int32? { state.backendPID }

    /// Stops the thread and finishes every consumer's stream.
    public func shutdown() {
        state.stop()
    }
}

/// The state shared between the listener thread and its callers, under one lock.
final class ListenerState: @unchecked Sendable {
    private let lock = NSLock()
    private var consumers: [UUID: AsyncStream<ListenerEvent>.Continuation] = [:]
    private var connected = false
    private var pid: Int32?
    private var stopped = false
    private var pendingHints: Set<String> = []
    private var wakeRequested = false
    let wakeRead: Int32
    let wakeWrite: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe() failed")
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, fcntl(wakeRead, F_GETFL) | O_NONBLOCK)
        _ = fcntl(wakeWrite, F_SETFL, fcntl(wakeWrite, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    func add(consumer id: UUID, _ continuation: AsyncStream<ListenerEvent>.Continuation) -> Bool {
        lock.withLock {
            if stopped {
                continuation.finish()
                return false
            }
            consumers[id] = continuation
            return connected
        }
    }

    func remove(consumer id: UUID) { lock.withLock { _ = consumers.removeValue(forKey: id) } }

    func broadcast(_ event: ListenerEvent) {
        let targets = lock.withLock { Array(consumers.values) }
        for target in targets { target.yield(event) }
    }

    func setConnected(pid: Int32?) {
        lock.withLock {
            connected = pid != nil
            self.pid = pid
        }
    }

    var isConnected: Bool { lock.withLock { connected } }
    var backendPID: Int32? { lock.withLock { pid } }
    var isStopped: Bool { lock.withLock { stopped } }

    /// Returns true when the thread needs waking to send them.
    func addHints(_ channels: some Sequence<String>) -> Bool {
        lock.withLock {
            pendingHints.formUnion(channels)
            if wakeRequested || pendingHints.isEmpty { return false }
            wakeRequested = true
            return true
        }
    }

    func takeHints() -> Set<String> {
        lock.withLock {
            defer { pendingHints = [] }
            return pendingHints
        }
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, 64) > 0 {}
        lock.withLock { wakeRequested = false }
    }

    func stop() {
        let targets: [AsyncStream<ListenerEvent>.Continuation] = lock.withLock {
            stopped = true
            defer { consumers = [:] }
            return Array(consumers.values)
        }
        wake()
        for target in targets { target.finish() }
    }
}

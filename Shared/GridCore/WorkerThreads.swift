import Foundation

/// Threads owned by one component, for blocking work (libpq, libcurl, files) that must never run
/// on the Swift cooperative pool or an event loop. Each thread keeps a `State` of its own, such as
/// a database connection or a curl handle, which only that thread ever touches.
public final class WorkerThreads<State>: @unchecked Sendable {
    public typealias Job = @Sendable (inout State) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false

    /// `makeState` runs once on each thread, when the thread starts.
    public init(count: Int, name: String, makeState: @escaping @Sendable () -> State) {
        for index in 0..<max(1, count) {
            let thread = Thread { [self] in
                Thread.current.name = "\(name)-\(index)"  // named from inside, so the OS (top -H) sees it too
                var state = makeState()
                while let job = self.next() { job(&state) }
            }
            thread.start()
        }
    }

    /// Queues a job; false once the threads are closed.
    @discardableResult
    public func submit(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Runs `body` on one of the threads and suspends the caller until it returns.
    public func run<T: Sendable>(_ body: @escaping @Sendable (inout State) throws -> T, closedError: @autoclosure () -> any Error) async throws -> T {
        let error = closedError()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = submit { state in continuation.resume(with: Result { try body(&state) }) }
            if !accepted { continuation.resume(throwing: error) }
        }
    }

    /// Queued jobs still run; threads exit once the queue is empty.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !closed { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 64 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}

import CCurl
import Foundation

/// Many HTTP transfers at once on libcurl's multi interface, driven by one thread of its own:
/// connections are reused across transfers, and libcurl itself bounds the connections in total
/// and per host (further transfers wait their turn). Callers suspend until their transfer is done;
/// nothing blocks the cooperative pool.
public final class MultiClient: @unchecked Sendable {
    public struct Limits: Sendable {
        public var totalConnections: Int
        public var connectionsPerHost: Int

        public init(totalConnections: Int = 64, connectionsPerHost: Int = 4) {
            self.totalConnections = totalConnections
            self.connectionsPerHost = connectionsPerHost
        }
    }

    /// Requests sent together: one continuation resumed once every transfer is done, so a batch
    /// costs one wake-up and one resumption, not one per request.
    private final class Batch {
        var results: [Result<HTTPResponse, HTTPClientError>?]
        var remaining: Int
        let continuation: CheckedContinuation<[Result<HTTPResponse, HTTPClientError>], Never>

        init(count: Int, continuation: CheckedContinuation<[Result<HTTPResponse, HTTPClientError>], Never>) {
            results = Array(repeating: nil, count: count)
            remaining = count
            self.continuation = continuation
        }

        func finish(_ index: Int, _ result: Result<HTTPResponse, HTTPClientError>) {
            results[index] = result
            remaining -= 1
            if remaining == 0 { continuation.resume(returning: results.map { $0! }) }
        }
    }

    private final class Job {
        let transfer: CurlTransfer
        let batch: Batch
        let index: Int
        var easy: UnsafeMutableRawPointer?

        init(transfer: CurlTransfer, batch: Batch, index: Int) {
            self.transfer = transfer
            self.batch = batch
            self.index = index
        }
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var queued: [Job] = []
    private var closed = false
    private let finished = NSCondition()
    private var stopped = false

    public init(limits: Limits = Limits(), name: String = "http-multi") {
        _ = HTTPClient.globalInit
        multi = curl_multi_init()
        gm_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limits.totalConnections)
        gm_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limits.connectionsPerHost)
        let thread = Thread { [self] in
            Thread.current.name = name  // named from inside, so the OS (top -H) sees it too
            loop()
        }
        thread.start()
    }

    /// Runs one request; throws `HTTPClientError` for failures below HTTP.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(all: [request])[0].get()
    }

    /// Runs requests together; returns each one's response or failure, in order.
    public func send(all requests: [HTTPRequest]) async -> [Result<HTTPResponse, HTTPClientError>] {
        guard !requests.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let batch = Batch(count: requests.count, continuation: continuation)
            let jobs = requests.enumerated().map { Job(transfer: CurlTransfer($0.element), batch: batch, index: $0.offset) }
            lock.lock()
            let accepted = !closed
            if accepted { queued += jobs }
            lock.unlock()
            guard accepted else {
                for job in jobs { batch.finish(job.index, .failure(HTTPClientError(code: -1, message: "client is shut down"))) }
                return
            }
            curl_multi_wakeup(multi)
        }
    }

    /// Fails what is still queued or running and stops the thread.
    public func shutdown() {
        lock.lock()
        closed = true
        lock.unlock()
        curl_multi_wakeup(multi)
        finished.lock()
        while !stopped { finished.wait() }
        finished.unlock()
    }

    private func loop() {
        var running: [Int: Job] = [:]
        while true {
            lock.lock()
            let incoming = queued
            queued.removeAll()
            let closing = closed
            lock.unlock()
            if closing {
                let down = HTTPClientError(code: -1, message: "client is shut down")
                for job in incoming { job.batch.finish(job.index, .failure(down)) }
                for job in running.values {
                    curl_multi_remove_handle(multi, job.easy)
                    curl_easy_cleanup(job.easy)
                    job.batch.finish(job.index, .failure(down))
                }
                break
            }
            for job in incoming {
                let easy = curl_easy_init()!
                job.easy = easy
                job.transfer.configure(easy)
                running[Int(bitPattern: easy)] = job
                curl_multi_add_handle(multi, easy)
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let job = running.removeValue(forKey: Int(bitPattern: easy))
                else { continue }
                let result = job.transfer.result(easy, code: message.pointee.data.result)
                curl_multi_remove_handle(multi, easy)
                curl_easy_cleanup(easy)
                job.batch.finish(job.index, result)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
        finished.lock()
        stopped = true
        finished.broadcast()
        finished.unlock()
    }
}

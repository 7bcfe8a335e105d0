import CCurl
import Foundation
import GridCore

/// An HTTP request as the client sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    public var timeout: Duration
    /// `host:port:address` entries (`CURLOPT_RESOLVE`): connect to exactly these addresses, as the
    /// SSRF guard checked them, whatever DNS answers now.
    public var pinnedAddresses: [String]
    /// At most this much of the response body is kept; the rest is read and dropped (a receiver
    /// cannot make a daemon buffer without end).
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, timeout: Duration = .seconds(15),
        pinnedAddresses: [String] = [], maxResponseBytes: Int = 1 << 20
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.pinnedAddresses = pinnedAddresses
    }
}

/// An HTTP response as received.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// How long the transfer took, as curl measured it (connect to last byte).
    public var duration: Duration = .zero

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], duration: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A failure below HTTP: DNS, connect, TLS, timeout.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String
    public var description: String { "curl \(code): \(message)" }
}

/// A small HTTP client over libcurl's easy interface. Transfers run on threads the client owns,
/// each keeping its curl handle so connections are reused; redirects are never followed.
public final class HTTPClient: Sendable {
    private let threads: WorkerThreads<CurlHandle>

    public init(threads count: Int = 2) {
        HTTPClient.globalInit
        threads = WorkerThreads(count: count, name: "http-client") { CurlHandle() }
    }

    static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await threads.run({ handle in try handle.perform(request) }, closedError: HTTPClientError(code: -1, message: "client is shut down"))
    }

    /// A GET of a JSON document.
    public func getJSON(_ url: String, timeout: Duration = .seconds(5)) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "application/json")], timeout: timeout))
    }

    public func shutdown() { threads.close() }
}

/// One curl easy handle; used by one thread only.
final class CurlHandle {
    private let easy: UnsafeMutableRawPointer

    init() { easy = curl_easy_init() }
    deinit { curl_easy_cleanup(easy) }

    /// `HOST:PORT` entries pinned on this handle: curl keeps them in the handle's DNS cache, so a
    /// later request to the same host that pins nothing must remove them.
    private var pinned: Set<String> = []

    func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        curl_easy_reset(easy)
        let current = Set(request.pinnedAddresses.map { $0.split(separator: ":", maxSplits: 2).prefix(2).joined(separator: ":") })
        let transfer = CurlTransfer(request, unpin: Array(pinned.subtracting(current)))
        pinned = current
        transfer.configure(easy)
        return try transfer.result(easy, code: curl_easy_perform(easy)).get()
    }
}

/// Collects one transfer's headers and body; only the transfer's thread touches it.
final class ResponseSink {
    var body: [UInt8] = []
    var limit = 1 << 20

    func addBody(_ bytes: UnsafeRawBufferPointer) {
        let room = limit - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }
    var headers: [(name: String, value: String)] = []

    func addHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (e.g. after 100 Continue) starts
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
}

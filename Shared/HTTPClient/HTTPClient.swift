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

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, timeout: Duration = .seconds(15),
        pinnedAddresses: [String] = []
    ) {
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

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await threads.run({ handle in try handle.perform(request) }, closedError: HTTPClientError(code: -1, message: "client is shut down"))
    }

    public func shutdown() { threads.close() }
}

/// One curl easy handle; used by one thread only.
final class CurlHandle {
    private let easy: UnsafeMutableRawPointer

    init() { easy = curl_easy_init() }
    deinit { curl_easy_cleanup(easy) }

    func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        curl_easy_reset(easy)
        let sink = ResponseSink()
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        if request.body != nil && !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            headerList = curl_slist_append(headerList, "Expect:")
        }
        defer { curl_slist_free_all(headerList) }
        var resolveList: UnsafeMutablePointer<curl_slist>?
        for entry in request.pinnedAddresses { resolveList = curl_slist_append(resolveList, entry) }
        defer { curl_slist_free_all(resolveList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            gm_curl_setopt_string(easy, CURLOPT_URL, request.url)
            gm_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
            gm_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
            gm_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
            gm_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
            gm_curl_setopt_long(
                easy, CURLOPT_TIMEOUT_MS, Int(request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000))
            gm_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000)
            gm_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            gm_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
            gm_curl_setopt_slist(easy, CURLOPT_RESOLVE, resolveList)
            gm_curl_setopt_write_function(
                easy,
                { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                })
            gm_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, unmanaged.toOpaque())
            gm_curl_setopt_header_function(
                easy,
                { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    sink.addHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                })
            gm_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, unmanaged.toOpaque())
            if let body = request.body {
                return body.withUnsafeBytes { bytes in
                    gm_curl_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                    gm_curl_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                    return curl_easy_perform(easy)
                }
            }
            return curl_easy_perform(easy)
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw HTTPClientError(code: Int(code.rawValue), message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        gm_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }
}

/// Collects one transfer's headers and body; only the transfer's thread touches it.
final class ResponseSink {
    var body: [UInt8] = []
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

import CCurl

/// One transfer's request, response sink and the C memory curl points into while it runs: the
/// header and resolve lists and the error buffer. It lives until the transfer is done, whether the
/// easy interface (`HTTPClient`) or the multi interface (`MultiClient`) runs it.
final class CurlTransfer {
    let request: HTTPRequest
    let sink = ResponseSink()
    /// An earlier pin is being removed: a kept-alive connection made under it must not be reused either.
    private let unpinning: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// `unpin` lists `HOST:PORT` entries an earlier transfer on the same handle pinned that this
    /// one must not inherit from the handle's DNS cache.
    init(_ request: HTTPRequest, unpin: [String] = []) {
        self.request = request
        self.unpinning = !unpin.isEmpty
        sink.limit = request.maxResponseBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        if request.body != nil && !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            headerList = curl_slist_append(headerList, "Expect:")
        }
        for entry in unpin { resolveList = curl_slist_append(resolveList, "-\(entry)") }
        for entry in request.pinnedAddresses { resolveList = curl_slist_append(resolveList, entry) }
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    /// Sets every option of the request on `easy`: no redirects, no proxy, http(s) only, the
    /// timeout, the pinned addresses, the body (copied by curl) and the callbacks into the sink.
    func configure(_ easy: UnsafeMutableRawPointer) {
        gm_curl_setopt_string(easy, CURLOPT_URL, request.url)
        gm_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        gm_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        gm_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        // never a proxy (not even from http_proxy / ALL_PROXY): it would connect where the SSRF
        // guard's pinned address does not reach
        gm_curl_setopt_string(easy, CURLOPT_PROXY, "")
        gm_curl_setopt_string(easy, CURLOPT_NOPROXY, "*")
        gm_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        let timeout = request.timeout.components
        gm_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000))
        gm_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000)
        gm_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        gm_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        gm_curl_setopt_slist(easy, CURLOPT_RESOLVE, resolveList)
        if unpinning { gm_curl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1) }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        gm_curl_setopt_write_function(
            easy,
            { data, size, count, context in
                let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                sink.addBody(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            })
        gm_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        gm_curl_setopt_header_function(
            easy,
            { data, size, count, context in
                let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                sink.addHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            })
        gm_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        if let body = request.body {
            gm_curl_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                _ = gm_curl_setopt_pointer(
                    easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }
    }

    /// The response once curl finished with `code`.
    func result(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return .failure(HTTPClientError(code: Int(code.rawValue), message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail))
        }
        var status = 0
        gm_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var seconds = 0.0
        gm_curl_getinfo_double(easy, CURLINFO_TOTAL_TIME, &seconds)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body, duration: .microseconds(Int64(seconds * 1_000_000))))
    }
}

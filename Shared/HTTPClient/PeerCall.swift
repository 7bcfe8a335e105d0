import GridCore

/// A request one mesh daemon makes of another (DESIGN.md §2, rule 3): a JSON POST with a token of
/// the caller's service account for that peer (`ServiceTokens`), its answer sorted into what the caller's durable request table needs to know —
/// taken, refused for good, or to be retried after a backoff.
public struct PeerCall: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The peer took it (a note when it answered that it had already been done), with its answer.
        case accepted(note: String?, body: [UInt8])
        /// The peer said no; retrying will not change that.
        case refused(String)
        /// The peer was unreachable or overloaded: try again after this many seconds.
        case retry(afterSeconds: Int, String)
    }

    let http: HTTPClient
    let baseURL: String
    /// The peer daemon's name: the audience of the token sent.
    let peer: String
    let tokens: ServiceTokens
    /// The calling daemon, for the request id.
    let caller: String

    public init(http: HTTPClient, peer: String, baseURL: String, tokens: ServiceTokens, caller: String) {
        self.http = http
        self.peer = peer
        self.baseURL = baseURL
        self.tokens = tokens
        self.caller = caller
    }

    /// POSTs `body` to `path`; `done` lists statuses that mean the work was already done (e.g. 409).
    /// A request made for a person carries that person (`onBehalfOf`): the peer applies their
    /// authority, not the caller's.
    public func post(
        _ path: String, json body: [UInt8], requestKey: String, attempts: Int, done: [Int: String] = [:], onBehalfOf person: Principal? = nil
    ) async -> Outcome {
        do {
            var headers = [
                ("Authorization", "Bearer \(try await tokens.token(for: peer))"), ("Content-Type", "application/json"),
                ("X-Request-Id", "\(caller)-\(requestKey)"),
            ]
            if let person { headers.append((Principal.onBehalfHeader, person.onBehalfValue)) }
            let response = try await http.send(HTTPRequest(method: "POST", url: "\(baseURL)\(path)", headers: headers, body: body, timeout: .seconds(15)))
            switch response.status {
            case 200...299: return .accepted(note: nil, body: response.body)
            case 401:
                // a token the peer no longer takes (keys rotated, session revoked): a fresh one next time
                tokens.forget()
                return .retry(afterSeconds: Self.backoff(attempts), "answered 401")
            case 429, 500...599: return .retry(afterSeconds: Self.backoff(attempts), "answered \(response.status)")
            default:
                if let note = done[response.status] { return .accepted(note: note, body: response.body) }
                return .refused("answered \(response.status): \(response.text.prefix(300))")
            }
        } catch {
            return .retry(afterSeconds: Self.backoff(attempts), "\(error)")
        }
    }

    /// GETs `path` as `person` (or as the caller); nil when the peer cannot be reached.
    public func get(_ path: String, requestKey: String, onBehalfOf person: Principal? = nil) async -> HTTPResponse? {
        guard let token = try? await tokens.token(for: peer) else { return nil }
        var headers = [("Authorization", "Bearer \(token)"), ("X-Request-Id", "\(caller)-\(requestKey)")]
        if let person { headers.append((Principal.onBehalfHeader, person.onBehalfValue)) }
        return try? await http.send(HTTPRequest(method: "GET", url: "\(baseURL)\(path)", headers: headers, timeout: .seconds(15)))
    }

    /// 2 s, 4 s, … up to 10 minutes.
    public static func backoff(_ attempts: Int) -> Int { min(600, 1 << min(max(attempts, 1), 10)) }
}

extension PeerCall.Outcome {
    /// What a durable request table records of the outcome: the request's next state (`sent`,
    /// `refused`, or still `requested`), the note or error to show, and the seconds until a retry.
    public func recorded(peer: String) -> (state: String, error: String?, retryIn: Int?) {
        switch self {
        case .accepted(let note, _): ("sent", note, nil)
        case .refused(let reason): ("refused", "\(peer) \(reason)", nil)
        case .retry(let seconds, let reason): ("requested", "\(peer) \(reason)", seconds)
        }
    }
}

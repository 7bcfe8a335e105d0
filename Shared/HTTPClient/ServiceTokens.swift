import Foundation
import Synchronization

/// What a daemon calls its peers with. In a deployment: its service account's client secret,
/// exchanged at authd's token endpoint (OAuth 2.0 client credentials) for access tokens of minutes,
/// one per peer, renewed when four fifths of their life has passed or a peer refuses one. In
/// tests: a fixed token from a file.
public final class ServiceTokens: Sendable {
    public enum Source: Sendable {
        case fixed(String)
        case clientCredentials(tokenURL: String, clientID: String, secret: String)
    }

    /// authd could not be reached or refused the client: the peer call waits and retries.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    let source: Source
    let http: HTTPClient
    private let cached = Mutex<Cached?>(nil)

    struct Cached {
        let tokens: [String: String]
        let renewAt: Date
    }

    public init(_ source: Source, http: HTTPClient) {
        self.source = source
        self.http = http
    }

    /// A token whose audience is `peer` (a daemon's name).
    public func token(for peer: String) async throws -> String {
        let (url, id, secret): (String, String, String)
        switch source {
        case .fixed(let token): return token
        case .clientCredentials(let tokenURL, let clientID, let clientSecret): (url, id, secret) = (tokenURL, clientID, clientSecret)
        }
        let now = Date()
        if let cached = cached.withLock({ $0 }), cached.renewAt > now, let token = cached.tokens[peer] { return token }
        let fresh = try await fetch(url: url, clientID: id, secret: secret, at: now)
        cached.withLock { $0 = fresh }
        guard let token = fresh.tokens[peer] else { throw Unavailable(description: "authd gave no token for \(peer)") }
        return token
    }

    /// Drops the tokens in hand (a peer refused one: the key rotated, or the account changed).
    public func forget() { cached.withLock { $0 = nil } }

    private func fetch(url: String, clientID: String, secret: String, at now: Date) async throws -> Cached {
        let form = [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret)]
            .map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await http.send(
                HTTPRequest(
                    method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                    body: Array(form.utf8), timeout: .seconds(10)))
        } catch {
            throw Unavailable(description: "authd unreachable: \(error)")
        }
        struct Reply: Decodable {
            let access_tokens: [String: String]
            let expires_in: Int
        }
        guard response.status == 200, let reply = try? JSONDecoder().decode(Reply.self, from: Data(response.body)) else {
            // the answer of a refusal names the OAuth error, never the secret
            throw Unavailable(description: "authd answered \(response.status): \(response.text.prefix(200))")
        }
        return Cached(tokens: reply.access_tokens, renewAt: now.addingTimeInterval(Double(reply.expires_in) * 0.8))
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

import Foundation
import JWTKit
import Synchronization

/// The public keys of one token issuer: a fixed JWKS (a file, or authd's own), or a URL (authd's
/// `/.well-known/jwks.json`, or an OIDC provider's `jwks_uri`) fetched once and again when a token
/// names a key not seen yet — at most once per `refreshInterval` — so a rotated key is picked up
/// without a restart, and a stream of tokens naming made-up keys costs the issuer one fetch per
/// interval, no more.
final class IssuerKeys: Sendable {
    let source: TokenVerifier.KeySource
    private let refreshInterval: Duration
    private let state = Mutex(KeySet())

    struct KeySet: Sendable {
        var keys = JWTKeyCollection()
        var ids: Set<String> = []
        /// When a token naming an unknown key last made us fetch (the start-up fetch does not count).
        var refetchedAt: ContinuousClock.Instant?
    }

    init(source: TokenVerifier.KeySource, refreshInterval: Duration) async throws {
        self.source = source
        self.refreshInterval = refreshInterval
        if case .jwks(let json) = source { try await install(json) }
    }

    func refresh() async throws {
        guard case .url(let url, let fetch) = source else { return }
        try await install(try await fetch(url))
    }

    /// The key collection holding `kid`, fetching the keys again if due; nil when no key has that id.
    func keys(holding kid: String) async throws -> JWTKeyCollection? {
        if let keys = state.withLock({ $0.ids.contains(kid) ? $0.keys : nil }) { return keys }
        guard case .url = source else { return nil }
        let due = state.withLock { set in
            guard set.refetchedAt.map({ $0.duration(to: .now) >= refreshInterval }) ?? true else { return false }
            set.refetchedAt = .now
            return true
        }
        if due {
            do { try await refresh() } catch { throw KeysUnavailable(reason: "\(error)") }
        }
        return state.withLock { $0.ids.contains(kid) ? $0.keys : nil }
    }

    private func install(_ json: String) async throws {
        let set = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        let raw = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rawKeys = raw?["keys"] as? [[String: Any]] ?? []
        guard rawKeys.allSatisfy({ $0["d"] == nil }) else {
            throw TokenError(message: "the verification key set holds a private key; give daemons public keys only")
        }
        // a provider's encryption keys, and keys of a type jwt-kit cannot read, are skipped, not fatal
        let encryption = Set(rawKeys.filter { $0["use"] as? String == "enc" }.compactMap { $0["kid"] as? String })
        let keys = JWTKeyCollection()
        var ids: Set<String> = []
        for key in set.keys {
            guard let kid = key.keyIdentifier?.string, !encryption.contains(kid), (try? await keys.add(jwk: key)) != nil else { continue }
            ids.insert(kid)
        }
        state.withLock {
            $0.keys = keys
            $0.ids = ids
        }
    }
}

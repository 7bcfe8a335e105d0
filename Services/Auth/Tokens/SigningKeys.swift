import Daemon
import Foundation

/// authd's token-signing keys, the only private keys of the mesh: a file (`GRIDMESH_TOKEN_SIGNING_KEY_FILE`,
/// or the systemd credential `token-signing-key`) holding one private Ed25519 JWK, or a set
/// `{"keys": [...]}` whose first key signs and whose others are still published (a rotation: new
/// tokens use the new key while tokens of the old one live out their minutes).
public struct SigningKeys: Sendable {
    public let current: String
    public let publicJWKS: String

    public init(text: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let keys = (object?["keys"] as? [[String: Any]]) ?? [object].compactMap { $0 }
        guard !keys.isEmpty else { throw TokenError(message: "the signing key file holds no key") }
        let texts = try keys.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        current = texts[0]
        let published = try texts.map(TokenIssuer.publicJWK(of:))
        publicJWKS = String(decoding: try JSONSerialization.data(withJSONObject: ["keys": published], options: [.sortedKeys]), as: UTF8.self)
    }

    public static func load(environment: [String: String]) throws -> SigningKeys {
        let file = environment["GRIDMESH_TOKEN_SIGNING_KEY_FILE"] ?? environment["CREDENTIALS_DIRECTORY"].map { "\($0)/token-signing-key" }
        guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError(variable: "GRIDMESH_TOKEN_SIGNING_KEY_FILE", message: "authd needs its private token-signing key")
        }
        return try SigningKeys(text: text)
    }
}

/// Signs access tokens: one per daemon asked for, each with that daemon alone as its audience.
public actor AccessTokens {
    let keys: SigningKeys
    let issuerName: String
    let lifetime: Duration
    private var signer: TokenIssuer?

    public init(keys: SigningKeys, issuer: String, lifetime: Duration) {
        self.keys = keys
        self.issuerName = issuer
        self.lifetime = lifetime
    }

    /// The daemons a token may be for.
    public static let audiences = TokenClaims.wholeMesh

    func mint(for account: Account, session: UUID?, audiences: [String], at now: Date) async throws -> [String: String] {
        let signer = try await currentSigner()
        var tokens: [String: String] = [:]
        for audience in audiences {
            tokens[audience] = try await signer.issue(
                TokenClaims(
                    subject: account.subject, role: account.role, scope: account.scope, agency: account.agency, issuer: issuerName, audience: [audience],
                    session: session?.uuidString.lowercased(), methods: session.map { _ in account.signInMethods }, issuedAt: now, lifetime: lifetime))
        }
        return tokens
    }

    private func currentSigner() async throws -> TokenIssuer {
        if let signer { return signer }
        let made = try await TokenIssuer(privateJWK: keys.current, issuer: issuerName)
        signer = made
        return made
    }
}

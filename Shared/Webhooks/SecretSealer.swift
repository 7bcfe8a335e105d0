import Crypto
import Foundation
import PersonalData

/// Webhook and callback secrets at rest (DESIGN.md §4): sealed with AES-256-GCM under the mesh's
/// secrets key, which comes from a file or a systemd credential and never from the database. A
/// sealed value is bound to its row (`endpoint:<id>`, `callback:<agency>`), so one row's secret
/// copied into another does not open; a database dump alone signs nothing.
public struct SecretSealer: Sendable {
    static let prefix = "sealed:v1:"
    private let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    public struct Unreadable: Error, CustomStringConvertible {
        public let owner: String
        public var description: String { "the secret of \(owner) is not sealed under this secrets key" }
    }

    /// The stored form of `secret`, for the row `owner`.
    public func seal(_ secret: String, for owner: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(owner.utf8))
        guard let combined = box.combined else { throw Unreadable(owner: owner) }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The secret of the row `owner`; throws for a value sealed under another key or another row,
    /// and for a clear one.
    public func open(_ stored: String, for owner: String) throws -> String {
        guard stored.hasPrefix(Self.prefix), let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(owner.utf8))
        else { throw Unreadable(owner: owner) }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The key from `GRIDMESH_SECRETS_KEY_FILE` or the credential `secrets-key`.
    public static func load(environment: [String: String]) throws -> SecretSealer {
        SecretSealer(
            key: try PersonalDataKeys.readKey(
                atPath: try PersonalDataKeys.path("GRIDMESH_SECRETS_KEY_FILE", credential: "secrets-key", environment: environment)))
    }
}

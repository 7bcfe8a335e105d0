import Crypto
import Foundation

/// The two keys that protect personal data (DESIGN.md §4). They come from files or systemd
/// credentials, never from the database, the repository or the logs.
///
/// - the **sealing key** encrypts identity fields (AES-256-GCM); it is the holding daemon's own.
/// - the **lookup key** turns a national ID number into a keyed HMAC; reentryd and vettingd share
///   it so the same person hashes the same in both, and a hit/no-hit question carries only the HMAC.
public struct PersonalDataKeys: Sendable {
    public let sealing: SymmetricKey
    public let lookup: SymmetricKey

    public init(sealing: SymmetricKey, lookup: SymmetricKey) {
        self.sealing = sealing
        self.lookup = lookup
    }

    /// A short, non-secret name for the sealing key, stored beside every sealed value so a rotation
    /// can tell which key opens which row.
    public var sealingKeyID: String {
        let digest = SHA256.hash(data: sealing.withUnsafeBytes { Data($0) } + Data("key-id".utf8))
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random key, as the base64 text a key file holds.
    public static func generateKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    /// Reads a key file: base64 of exactly 32 bytes, surrounding whitespace ignored.
    public static func readKey(atPath path: String) throws -> SymmetricKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KeyError(path: path, problem: "cannot be read") }
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw KeyError(path: path, problem: "must hold base64 of 32 random bytes (gridctl keys personal-data writes one)")
        }
        return SymmetricKey(data: bytes)
    }

    /// The keys from `GRIDMESH_SEALING_KEY_FILE` and `GRIDMESH_LOOKUP_KEY_FILE`, or from the
    /// credentials `sealing-key` and `lookup-key` in `$CREDENTIALS_DIRECTORY`.
    public static func load(environment: [String: String]) throws -> PersonalDataKeys {
        let sealing = try readKey(atPath: try path("GRIDMESH_SEALING_KEY_FILE", credential: "sealing-key", environment: environment))
        let lookup = try loadLookup(environment: environment)
        guard sealing.withUnsafeBytes({ Data($0) }) != lookup.withUnsafeBytes({ Data($0) }) else {
            throw KeyError(path: "GRIDMESH_LOOKUP_KEY_FILE", problem: "must differ from the sealing key")
        }
        return PersonalDataKeys(sealing: sealing, lookup: lookup)
    }

    /// Only the lookup key: for a daemon that matches ID numbers but holds no sealed records
    /// (patrold, for persons named in clues).
    public static func loadLookup(environment: [String: String]) throws -> SymmetricKey {
        try readKey(atPath: try path("GRIDMESH_LOOKUP_KEY_FILE", credential: "lookup-key", environment: environment))
    }

    /// The file named by `variable`, or else the systemd credential `credential`.
    public static func path(_ variable: String, credential: String, environment: [String: String]) throws -> String {
        if let file = environment[variable], !file.isEmpty { return file }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty { return "\(directory)/\(credential)" }
        throw KeyError(path: variable, problem: "is not set and there is no systemd credential \(credential)")
    }
}

/// A key file that cannot be used; names the file, never its contents.
public struct KeyError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path) \(problem)" }
}

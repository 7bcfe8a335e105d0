import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, with secrets
/// written `whsec_` + base64 of the key bytes.
public enum WebhookSignature {
    /// A fresh secret of 32 random bytes.
    public static func newSecret() -> String {
        "whsec_" + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    /// The key bytes of a `whsec_` secret, or nil when it is malformed.
    public static func key(of secret: String) -> SymmetricKey? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let bytes = Data(base64Encoded: encoded), (24...64).contains(bytes.count) else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// The `webhook-signature` value for one secret.
    public static func sign(id: String, timestamp: Int, body: [UInt8], secret: String) -> String? {
        guard let key = key(of: secret) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: signedContent(id: id, timestamp: timestamp, body: body), using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    static func signedContent(id: String, timestamp: Int, body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8) + body
    }

    /// True when any `v1` signature in the header was made with any of the secrets.
    /// HMAC validation compares in constant time.
    public static func isValid(header: String, id: String, timestamp: Int, body: [UInt8], secrets: [String]) -> Bool {
        let content = signedContent(id: id, timestamp: timestamp, body: body)
        let signatures = header.split(separator: " ").compactMap { part -> Data? in
            let pieces = part.split(separator: ",", maxSplits: 1)
            guard pieces.count == 2, pieces[0] == "v1" else { return nil }
            return Data(base64Encoded: String(pieces[1]))
        }
        for secret in secrets {
            guard let key = key(of: secret) else { continue }
            for signature in signatures where HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: content, using: key) {
                return true
            }
        }
        return false
    }
}

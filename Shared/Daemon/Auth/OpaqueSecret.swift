import Crypto
import Foundation

/// Random secrets handed out once and kept only as their SHA-256: refresh tokens, client secrets,
/// calendar feed capabilities. A prefix says what a secret is when one turns up where it should
/// not (`gmr_`, `gmcs_`, `gmcal_`), as secret scanners expect.
public enum OpaqueSecret {
    /// `prefix` and 32 random bytes (256 bits), base64url.
    public static func make(_ prefix: String) -> String {
        prefix + base64URL(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// What is stored and looked up: the SHA-256 of the secret's text.
    public static func hash(_ text: String) -> Data { Data(SHA256.hash(data: Data(text.utf8))) }

    /// base64url without padding (RFC 4648 §5), as these secrets and JWKs are written.
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of base64url text, padded or not; nil if it is not base64url.
    public static func base64URLDecoded(_ text: String) -> Data? {
        var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}

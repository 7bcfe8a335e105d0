import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, six digits, 30-second
/// steps — what every authenticator app reads from an `otpauth://` URI.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public static let digits = 6
    public static let step: TimeInterval = 30

    public init(secret: [UInt8]) { self.secret = secret }

    /// A fresh 160-bit secret (RFC 4226's recommended length).
    public static func generate() -> TOTP {
        var generator = SystemRandomNumberGenerator()
        return TOTP(secret: (0..<20).map { _ in generator.next() })
    }

    /// The time step `time` falls in.
    public static func counter(at time: Date) -> Int64 { Int64((time.timeIntervalSince1970 / step).rounded(.down)) }

    /// The code of one time step.
    public func code(counter: Int64) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    /// The step whose code `code` is, within one step of `time` either way (clock drift), or nil.
    /// The caller keeps the last step accepted and refuses it and any before it: a code is good once.
    public func matchingCounter(_ code: String, at time: Date) -> Int64? {
        guard code.count == Self.digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = Self.counter(at: time)
        var found: Int64?
        for counter in [now - 1, now, now + 1] where constantTimeEqual(self.code(counter: counter), code) && found == nil {
            found = counter
        }
        return found
    }

    /// The URI an authenticator app scans: `otpauth://totp/GridMesh:zhangmin?secret=…&issuer=GridMesh`.
    public func uri(account: String, issuer: String) -> String {
        let label = [issuer, account].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_"])) ?? $0 }
            .joined(separator: ":")
        let issuerText = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerText)&algorithm=SHA1&digits=\(Self.digits)&period=\(Int(Self.step))"
    }

    func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// RFC 4648 base32 without padding, as `otpauth://` URIs carry secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}

import Crypto
import Foundation
import GridCore

/// A resident identity card number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check
/// character. Held only in memory; stored sealed, and looked up through its keyed HMAC.
public struct NationalID: Sendable, Hashable {
    /// The normalised number: 18 characters, an upper-case `X` as check character.
    public let value: String

    public init?(_ text: String) {
        let normalised = text.trimmingCharacters(in: .whitespaces).uppercased()
        let characters = Array(normalised)
        guard characters.count == 18, characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let digits = characters.prefix(17).map { Int(String($0))! }
        guard characters[17] == Self.checkCharacter(of: digits) else { return nil }
        // digits 7–14 are the date of birth
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        guard CalendarDate(year: number(6..<10), month: number(10..<12), day: number(12..<14)) != nil else { return nil }
        self.value = normalised
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    static func checkCharacter(of digits: [Int]) -> Character {
        checkCharacters[zip(digits, weights).map(*).reduce(0, +) % 11]
    }

    /// The keyed HMAC-SHA256 of the number, the only form in which it is looked up or compared
    /// across daemons. Domain-separated so the key hashes nothing else to the same value.
    public func lookupHash(using keys: PersonalDataKeys) -> Data { lookupHash(using: keys.lookup) }

    public func lookupHash(using lookupKey: SymmetricKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("cn-resident-id:\(value)".utf8), using: lookupKey))
    }

    /// The lookup hash as it travels in a hit/no-hit question: lower-case hex, 64 characters.
    public static func hex(_ hash: Data) -> String { hash.map { String(format: "%02x", $0) }.joined() }

    /// Parses a lookup hash from its hex form: 64 ASCII hex digits (a fullwidth `０` is a digit to
    /// Swift's `isHexDigit`, not to this).
    public static func lookupHash(hex text: String) -> Data? {
        let ascii = Array(text.utf8)
        guard ascii.count == 64 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = Data(capacity: 32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(ascii[index]), let low = nibble(ascii[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}

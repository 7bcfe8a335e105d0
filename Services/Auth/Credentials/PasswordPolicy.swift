import Foundation

/// What a new password must be (NIST SP 800-63B §5.1.1.2): long enough, not one of the passwords
/// attackers try first, not built from the account's own name or the place, not a run or a
/// repetition. No composition rules (they make passwords worse, not stronger). A character outside
/// ASCII (a Chinese one) counts as two towards the length: a phrase of six hanzi is no weaker than
/// twelve letters.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    /// Why `password` is refused for `subject`, or nil when it is acceptable.
    public static func refusal(_ password: String, subject: String, displayName: String) -> String? {
        let count = password.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
        if count < minimumLength { return "must be at least \(minimumLength) characters (a Chinese character counts as two)" }
        if count > maximumLength { return "must be at most \(maximumLength) characters" }
        let folded = password.lowercased()
        if Set(folded).count < 5 { return "repeats too few characters" }
        if isRun(folded) { return "is a keyboard or number run" }
        let names = [subject.lowercased(), displayName.lowercased()].filter { $0.count >= 3 }
        if names.contains(where: { folded.contains($0) }) { return "contains the account's name" }
        if let word = placeWords.first(where: { folded.contains($0) }), folded.replacingOccurrences(of: word, with: "").count < 6 {
            return "is mostly the name of the system or the place"
        }
        let core = folded.trimmingCharacters(in: CharacterSet.decimalDigits.union(.punctuationCharacters).union(.symbols))
        if common.contains(folded) || common.contains(core) || common.contains(where: { folded.hasPrefix($0) && folded.count - $0.count <= 4 }) {
            return "is one of the passwords tried first by attackers"
        }
        return nil
    }

    /// Runs along the keyboard or the digits (either way), or one short piece repeated.
    static func isRun(_ text: String) -> Bool {
        let characters = Array(text)
        for period in 1...4 where characters.count % period == 0 || characters.count > period * 3 {
            let piece = characters.prefix(period)
            if characters.indices.allSatisfy({ characters[$0] == piece[$0 % period] }) { return true }
        }
        for row in keyboardRows {
            let forward = row + row
            let backward = String(forward.reversed())
            if forward.contains(text) || backward.contains(text) { return true }
        }
        return false
    }

    static let keyboardRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz"]

    static let placeWords = ["gridmesh", "wuchang", "shuiguohu", "dongting", "wanggehua", "wangge"]

    /// The start of the lists attackers try first (common passwords, and the pinyin ones used here).
    static let common: Set<String> = [
        "password", "passw0rd", "password1", "iloveyou", "welcome", "admin", "administrator", "letmein", "monkey", "dragon", "football",
        "baseball", "sunshine", "princess", "qwerty", "qwertyuiop", "abc123", "abcd1234", "a123456", "a1234567", "a12345678", "aa123456",
        "123456", "1234567", "12345678", "123456789", "1234567890", "123123", "111111", "000000", "666666", "888888", "5201314",
        "woaini", "woaini1314", "wo123456", "zhang123", "wang123", "li123456", "qq123456", "qq5201314", "asd123", "zxc123", "zxcvbnm",
        "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "qazwsx", "qazwsxedc", "changeme", "default", "master", "secret", "trustno1",
        "superman", "batman", "shadow", "michael", "jennifer", "computer", "internet", "whatever", "starwars", "hello", "hello123",
        "test", "test123", "testtest", "guest", "root", "toor", "system", "manager", "service", "support", "login", "zaq12wsx",
        "p@ssw0rd", "p@ssword", "passwort", "motdepasse", "mima", "mima123", "wodemima", "aini1314", "woaiwojia", "nihao", "nihao123",
    ]
}

import Foundation

/// `application/x-www-form-urlencoded` bodies and query strings: name/value pairs, `+` as space,
/// percent escapes decoded. Repeated names keep every value, in order.
public struct FormBody: Sendable {
    public let pairs: [(name: String, value: String)]

    public init?(_ text: String) {
        var pairs: [(String, String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Values of names shaped `prefix[key]`, by key (Open311's `attribute[code]=value`).
    public func bracketed(_ prefix: String) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in pairs where name.hasPrefix(prefix + "[") && name.hasSuffix("]") {
            values[String(name.dropFirst(prefix.count + 1).dropLast())] = value
        }
        return values
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

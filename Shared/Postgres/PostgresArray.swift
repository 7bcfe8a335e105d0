import Foundation

/// One-dimensional text and integer arrays in PostgreSQL's text form: `{a,"b c",NULL}`.
enum PostgresArrayText {
    static func encode(_ elements: [String]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for c in element {
                if c == "\"" || c == "\\" { out += "\\" }
                out.append(c)
            }
            out += "\""
        }
        return out + "}"
    }

    /// Elements in order; nil for an unquoted NULL.
    static func decode(_ text: String) throws -> [String?] {
        var chars = Substring(text)
        guard chars.first == "{", chars.last == "}" else { throw PostgresError.decoding("not an array: \(text)") }
        chars = chars.dropFirst().dropLast()
        if chars.isEmpty { return [] }
        var elements: [String?] = []
        var iterator = chars.makeIterator()
        var current = ""
        var quoted = false
        var inQuotes = false
        func finish() {
            elements.append(!quoted && current == "NULL" ? nil : current)
            current = ""
            quoted = false
        }
        while let c = iterator.next() {
            if inQuotes {
                if c == "\\" {
                    if let escaped = iterator.next() { current.append(escaped) }
                } else if c == "\"" {
                    inQuotes = false
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
                quoted = true
            } else if c == "," {
                finish()
            } else if c == "{" {
                throw PostgresError.decoding("multi-dimensional arrays are not supported")
            } else {
                current.append(c)
            }
        }
        finish()
        return elements
    }

    static func decodeNonNull(_ text: String) throws -> [String] {
        try decode(text).map {
            guard let value = $0 else { throw PostgresError.decoding("array holds a NULL") }
            return value
        }
    }
}

extension Array: PostgresEncodable where Element == String {
    public static var postgresOID: UInt32 { 1009 }  // text[]
    public var postgresBind: PostgresBind { .text(PostgresArrayText.encode(self), oid: 1009) }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText text: String) throws {
        self = try PostgresArrayText.decodeNonNull(text).map { try Element(postgresText: $0) }
    }
}

/// int8[] as a parameter (`[Int]` cannot also be `PostgresEncodable` beside `[String]`).
public struct IntArray: PostgresEncodable, Hashable {
    public static var postgresOID: UInt32 { 1016 }
    public let values: [Int]
    public init(_ values: [Int]) { self.values = values }
    public var postgresBind: PostgresBind {
        .text("{" + values.map(String.init).joined(separator: ",") + "}", oid: 1016)
    }
}

/// uuid[] as a parameter.
public struct UUIDArray: PostgresEncodable, Hashable {
    public static var postgresOID: UInt32 { 2951 }
    public let values: [UUID]
    public init(_ values: [UUID]) { self.values = values }
    public var postgresBind: PostgresBind {
        .text("{" + values.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}", oid: 2951)
    }
}

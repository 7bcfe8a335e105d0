import Foundation

/// How one parameter travels to the server: text (the server parses it as the column's type)
/// or binary (bytea only), with the type OID it claims to be (0: let the server infer).
public enum PostgresBind: Sendable {
    case text(String, oid: UInt32)
    case binary([UInt8], oid: UInt32)
    case null(oid: UInt32)
}

/// A Swift value that can be a query parameter.
public protocol PostgresEncodable: Sendable {
    /// The OID sent with the parameter; 0 lets the server infer it from the statement.
    static var postgresOID: UInt32 { get }
    var postgresBind: PostgresBind { get }
}

/// A Swift value that can be read from a (non-NULL) text-format result field.
public protocol PostgresDecodable: Sendable {
    init(postgresText text: String) throws
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresOID: UInt32 { Wrapped.postgresOID }
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): value.postgresBind
        case .none: .null(oid: Wrapped.postgresOID)
        }
    }
}

extension String: PostgresEncodable, PostgresDecodable {
    /// 0 rather than `text`, so a string can be bound to enums, jsonb, intervals and the like.
    public static var postgresOID: UInt32 { 0 }
    public var postgresBind: PostgresBind { .text(self, oid: 0) }
    public init(postgresText text: String) { self = text }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 20 }
    public var postgresBind: PostgresBind { .text(String(self), oid: 20) }
    public init(postgresText text: String) throws {
        guard let value = Int(text) else { throw PostgresError.decoding("not an integer: \(text)") }
        self = value
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 23 }
    public var postgresBind: PostgresBind { .text(String(self), oid: 23) }
    public init(postgresText text: String) throws {
        guard let value = Int32(text) else { throw PostgresError.decoding("not a 32-bit integer: \(text)") }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 16 }
    public var postgresBind: PostgresBind { .text(self ? "t" : "f", oid: 16) }
    public init(postgresText text: String) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresError.decoding("not a boolean: \(text)")
        }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 701 }
    public var postgresBind: PostgresBind {
        let text: String =
            if isNaN { "NaN" } else if isInfinite { self > 0 ? "Infinity" : "-Infinity" } else { "\(self)" }
        return .text(text, oid: 701)
    }
    public init(postgresText text: String) throws {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PostgresError.decoding("not a number: \(text)") }
            self = value
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 2950 }
    public var postgresBind: PostgresBind { .text(uuidString.lowercased(), oid: 2950) }
    public init(postgresText text: String) throws {
        guard let value = UUID(uuidString: text) else { throw PostgresError.decoding("not a uuid: \(text)") }
        self = value
    }
}

/// bytea travels in binary; results arrive in the hex text form (`\x…`).
extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 17 }
    public var postgresBind: PostgresBind { .binary([UInt8](self), oid: 17) }
    public init(postgresText text: String) throws {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError.decoding("bytea not in hex form")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = Self.hexValue(utf8[index]), let low = Self.hexValue(utf8[index + 1]) else {
                throw PostgresError.decoding("bytea has a non-hex digit")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = Data(bytes)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// jsonb, kept as its JSON text; encode and decode `Codable` values through it.
public struct JSONB: PostgresEncodable, PostgresDecodable, Hashable {
    public static var postgresOID: UInt32 { 3802 }
    public let text: String
    public init(text: String) { self.text = text }
    public init(postgresText text: String) { self.text = text }
    public var postgresBind: PostgresBind { .text(text, oid: 3802) }

    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

import Foundation

/// A parsed JSON value read by path: `detail["finding"]["state"].string`. Missing members read as
/// null, so a check fails with a message instead of a crash.
public struct JSON: CustomStringConvertible {
    public let value: Any?

    public init(_ value: Any?) { self.value = value }

    public init(parsing bytes: [UInt8]) {
        value = bytes.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    public subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    public subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }

    public var string: String? { value as? String }
    /// Ids compare lower-cased (Swift writes UUIDs upper-case).
    public var id: String? { string?.lowercased() }
    public var int: Int? { (value as? NSNumber)?.intValue }
    public var double: Double? { (value as? NSNumber)?.doubleValue }
    public var bool: Bool? { (value as? NSNumber).map(\.boolValue) }
    public var array: [JSON] { ((value as? [Any]) ?? []).map(JSON.init) }
    public var strings: [String] { array.compactMap(\.string) }
    public var isNull: Bool { value == nil || value is NSNull }

    public var description: String {
        guard let value, JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return value.map { "\($0)" } ?? "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

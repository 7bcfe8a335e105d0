/// A JSON document built in code: OpenAPI descriptions and schemas.
public indirect enum JSONValue: Sendable, Encodable, Equatable, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByArrayLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral
{
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public typealias Key = String
    public typealias Value = JSONValue
    public typealias ArrayLiteralElement = JSONValue

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        case (.null, .null): true
        default: false
        }
    }

    struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            if value.rounded() == value && abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: MemberKey(stringValue: key)) }
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }

    /// Members of an object, in order; other values have none.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }
}

/// Shorthands for JSON Schema (2020-12, as OpenAPI 3.1 uses it).
public enum Schema {
    public static func string(_ description: String? = nil, format: String? = nil, maxLength: Int? = nil, enum values: [String]? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "string")]
        if let format { members.append(("format", .string(format))) }
        if let maxLength { members.append(("maxLength", .number(Double(maxLength)))) }
        if let values { members.append(("enum", .array(values.map(JSONValue.string)))) }
        if let description { members.append(("description", .string(description))) }
        return .object(members)
    }

    public static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "integer")]
        if let minimum { members.append(("minimum", .number(Double(minimum)))) }
        if let maximum { members.append(("maximum", .number(Double(maximum)))) }
        if let description { members.append(("description", .string(description))) }
        return .object(members)
    }

    public static func number(_ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "number")]
        if let minimum { members.append(("minimum", .number(minimum))) }
        if let maximum { members.append(("maximum", .number(maximum))) }
        if let description { members.append(("description", .string(description))) }
        return .object(members)
    }

    public static let boolean: JSONValue = ["type": "boolean"]
    public static let uuid = string(format: "uuid")
    public static let dateTime = string("RFC 3339 with offset", format: "date-time")

    public static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    public static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    public static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        .object([
            ("type", "object"), ("properties", .object(properties)), ("required", .array(required.map(JSONValue.string))),
            ("additionalProperties", false),
        ])
    }

    public static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// RFC 9457 problem details, as every error response of the mesh.
    public static let problem: JSONValue = object(
        [
            ("type", string(format: "uri")), ("title", string()), ("status", integer()), ("detail", string()),
            ("instance", string()),
            ("errors", array(object([("field", string()), ("message", string())], required: ["field", "message"]))),
            ("error", string("OAuth 2.0 endpoints: the RFC 6749 error code")), ("error_description", string()),
        ], required: ["type", "title", "status"])
}

/// A value written in JSON as one string: its `description`, parsed back by `init?(_:)`.
public protocol TextCodable: Codable, CustomStringConvertible {
    init?(_ text: String)
    /// What a refused string should have been, for the decoding error.
    static var expectedForm: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected \(Self.expectedForm)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The part of the district a token may act on: one grid, one community, one street or the whole district.
/// Scope is enforced inside SQL, by passing `level` and `code` as query parameters.
public struct Scope: Sendable, Hashable, TextCodable {
    public static let expectedForm = "district, street:CODE, community:CODE or grid:CODE"

    public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
        case grid, community, street, district

        private var rank: Int {
            switch self {
            case .grid: 0
            case .community: 1
            case .street: 2
            case .district: 3
            }
        }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    public let level: Level
    /// The code of the grid, community or street; empty for the district.
    public let code: String

    public init(level: Level, code: String) {
        self.level = level
        self.code = level == .district ? "" : code
    }

    public static let district = Scope(level: .district, code: "")

    /// Parses `district`, `street:shuiguohu`, `community:dongting`, `grid:dongting-03`.
    public init?(_ text: String) {
        if text == "district" {
            self = .district
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let level = Level(rawValue: parts[0]), level != .district,
            !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        self.init(level: level, code: parts[1])
    }

    public var description: String { level == .district ? "district" : "\(level.rawValue):\(code)" }
}

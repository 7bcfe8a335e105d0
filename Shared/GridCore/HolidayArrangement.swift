/// One year's holiday arrangement as the State Council publishes it (国务院办公厅关于 YYYY 年部分节假日
/// 安排的通知): the days off and the weekend days made working days (调休), in the text form
/// `gridctl calendar import` reads and `gridctl calendar show` writes:
///
///     # 国务院办公厅关于2026年部分节假日安排的通知
///     year 2026
///     holiday 2026-01-01 2026-01-03 元旦
///     workday 2026-01-04 元旦调休
///
/// `holiday FIRST [LAST] NAME` declares the days from FIRST to LAST off; `workday DAY NAME` makes a
/// Saturday or Sunday a working day. `#` starts a comment. A notice may reach into the last weeks of
/// the year before (a New Year holiday that starts on 30 December), never further.
public struct HolidayArrangement: Sendable, Equatable {
    public enum Kind: String, Sendable { case holiday, workday }

    public struct Day: Sendable, Equatable {
        public let day: CalendarDate
        public let kind: Kind
        public let name: String

        public init(day: CalendarDate, kind: Kind, name: String) {
            self.day = day
            self.kind = kind
            self.name = name
        }
    }

    public let year: Int
    /// Every day the arrangement names, in date order.
    public let days: [Day]

    /// A mistake in the text, with its line (1-based).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public init(parsing text: String) throws {
        var year: Int?
        var days: [CalendarDate: Day] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let keyword = words.first else { continue }
            func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }
            switch keyword {
            case "year":
                guard year == nil else { throw fail("a second year line") }
                guard words.count == 2, let value = Int(words[1]), (2000...2100).contains(value) else { throw fail("expected `year YYYY`") }
                year = value
            case "holiday", "workday":
                guard let year else { throw fail("the year line must come first") }
                let kind = Kind(rawValue: keyword)!
                guard words.count >= 3, let first = CalendarDate(words[1]) else { throw fail("expected `\(keyword) YYYY-MM-DD ... NAME`") }
                var last = first
                var nameStart = 2
                if kind == .holiday, let end = CalendarDate(words[2]) {
                    last = end
                    nameStart = 3
                }
                let name = words[nameStart...].joined(separator: " ")
                guard !name.isEmpty else { throw fail("the \(keyword) needs a name (e.g. 春节)") }
                guard first <= last, last.daysSinceEpoch - first.daysSinceEpoch < 31 else {
                    throw fail("\(first) to \(last) is not a range of at most 31 days")
                }
                var day = first
                while day <= last {
                    guard day.year == year || (day.year == year - 1 && day.month == 12) else {
                        throw fail("\(day) is outside \(year) (only the last December before it may be named)")
                    }
                    if kind == .workday, day.weekday <= 5 { throw fail("\(day) is a weekday: only a Saturday or Sunday can be made a working day") }
                    if let earlier = days[day] { throw fail("\(day) is named twice (\(earlier.kind.rawValue) \(earlier.name))") }
                    days[day] = Day(day: day, kind: kind, name: name)
                    day = day.adding(days: 1)
                }
            default:
                throw fail("unknown line `\(keyword)`: expected year, holiday or workday")
            }
        }
        guard let year else { throw ParseError(line: 1, message: "no `year YYYY` line") }
        guard days.values.contains(where: { $0.kind == .holiday }) else { throw ParseError(line: 1, message: "no holiday in \(year)'s arrangement") }
        self.year = year
        self.days = days.values.sorted { $0.day < $1.day }
    }

    public init(year: Int, days: [Day]) {
        self.year = year
        self.days = days.sorted { $0.day < $1.day }
    }

    /// The arrangement in its text form, holidays folded into ranges of consecutive days.
    public var text: String {
        var lines = ["year \(year)"]
        var index = 0
        while index < days.count {
            let first = days[index]
            var end = index
            while first.kind == .holiday, end + 1 < days.count, days[end + 1].kind == .holiday, days[end + 1].name == first.name,
                days[end + 1].day == days[end].day.adding(days: 1)
            {
                end += 1
            }
            let range = end > index ? "\(first.day) \(days[end].day)" : "\(first.day)"
            lines.append("\(first.kind.rawValue) \(range) \(first.name)")
            index = end + 1
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation

/// The RFC 5545 RRULE subset meetings use: weekly on some weekdays, every N weeks, or monthly on
/// the nth (or last) weekday; ending after COUNT occurrences, at UNTIL, or never. Expanded in the
/// district's local time, so "every Thursday 09:30" stays 09:30 whatever the offset.
public struct Recurrence: Sendable, Equatable, CustomStringConvertible {
    public enum Frequency: String, Sendable {
        case weekly = "WEEKLY"
        case monthly = "MONTHLY"
    }

    /// A weekday (1 = Monday … 7 = Sunday) with, for monthly rules, its position (1…5, or -1…-5 from the end).
    public struct Day: Sendable, Hashable {
        public let weekday: Int
        public let ordinal: Int?
    }

    public let frequency: Frequency
    public let interval: Int
    public let days: [Day]
    public let count: Int?
    public let until: Date?

    static let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Parses e.g. `FREQ=WEEKLY;BYDAY=TH`, `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH`, `FREQ=MONTHLY;BYDAY=-1FR;COUNT=12`.
    public init(_ text: String) throws(Invalid) {
        var parts: [String: String] = [:]
        for piece in text.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, parts[pair[0].uppercased()] == nil else { throw Invalid(description: "malformed part \(piece)") }
            parts[pair[0].uppercased()] = pair[1].uppercased()
        }
        guard let freqText = parts.removeValue(forKey: "FREQ"), let frequency = Frequency(rawValue: freqText) else {
            throw Invalid(description: "FREQ must be WEEKLY or MONTHLY")
        }
        let interval = parts.removeValue(forKey: "INTERVAL").map { Int($0) ?? 0 } ?? 1
        guard (1...52).contains(interval) else { throw Invalid(description: "INTERVAL must be 1 to 52") }
        guard let byDay = parts.removeValue(forKey: "BYDAY") else { throw Invalid(description: "BYDAY is required") }
        var days: [Day] = []
        for item in byDay.split(separator: ",") {
            let code = String(item.suffix(2))
            guard let index = Self.codes.firstIndex(of: code) else { throw Invalid(description: "unknown weekday \(item)") }
            let prefix = item.dropLast(2)
            var ordinal: Int?
            if !prefix.isEmpty {
                guard let value = Int(prefix), value != 0, (-5...5).contains(value) else { throw Invalid(description: "bad position in \(item)") }
                ordinal = value
            }
            if frequency == .weekly && ordinal != nil { throw Invalid(description: "a weekly rule takes plain weekdays") }
            if frequency == .monthly && ordinal == nil { throw Invalid(description: "a monthly rule needs a position, e.g. 2TH or -1FR") }
            days.append(Day(weekday: index + 1, ordinal: ordinal))
        }
        var count: Int?
        if let text = parts.removeValue(forKey: "COUNT") {
            guard let value = Int(text), (1...1000).contains(value) else { throw Invalid(description: "COUNT must be 1 to 1000") }
            count = value
        }
        var until: Date?
        if let text = parts.removeValue(forKey: "UNTIL") {
            guard let date = Self.parseUntil(text) else { throw Invalid(description: "UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ") }
            until = date
        }
        guard count == nil || until == nil else { throw Invalid(description: "COUNT and UNTIL exclude each other") }
        guard parts.isEmpty else { throw Invalid(description: "unsupported parts: \(parts.keys.sorted().joined(separator: ", "))") }
        self.frequency = frequency
        self.interval = interval
        self.days = days
        self.count = count
        self.until = until
    }

    public var description: String {
        var text = "FREQ=\(frequency.rawValue)"
        if interval != 1 { text += ";INTERVAL=\(interval)" }
        text += ";BYDAY=" + days.map { ($0.ordinal.map(String.init) ?? "") + Self.codes[$0.weekday - 1] }.joined(separator: ",")
        if let count { text += ";COUNT=\(count)" }
        if let until { text += ";UNTIL=" + Self.formatUntil(until) }
        return text
    }

    /// Occurrence start times from `start` (whose local date and time anchor the series) that begin
    /// before `end`, in order. `start` itself counts only if it matches the rule.
    public func occurrences(from start: Date, before end: Date, timeZone: TimeZone) -> [Date] {
        let calendar = WorkingCalendar(timeZone: timeZone)
        let firstDay = calendar.day(of: start)
        let secondsIntoDay = start.timeIntervalSince(calendar.startOfDay(firstDay))
        var results: [Date] = []
        var emitted = 0
        func emit(_ day: CalendarDate) -> Bool {
            let time = calendar.startOfDay(day).addingTimeInterval(secondsIntoDay)
            if time < start { return true }
            if let until, time > until { return false }
            if time >= end { return false }
            if let count, emitted >= count { return false }
            results.append(time)
            emitted += 1
            return true
        }
        switch frequency {
        case .weekly:
            let monday = firstDay.adding(days: 1 - firstDay.weekday)
            var week = 0
            while true {
                let weekStart = monday.adding(days: 7 * week * interval)
                if calendar.startOfDay(weekStart) >= end { return results }
                for day in days.map(\.weekday).sorted() where !emit(weekStart.adding(days: day - 1)) { return results }
                week += 1
            }
        case .monthly:
            var month = 0
            while true {
                let total = firstDay.year * 12 + (firstDay.month - 1) + month * interval
                let first = CalendarDate(year: total / 12, month: total % 12 + 1, day: 1)!
                if calendar.startOfDay(first) >= end { return results }
                let dates = days.compactMap { Self.nth($0, in: first) }.sorted()
                for date in dates where !emit(date) { return results }
                month += 1
            }
        }
    }

    /// The nth weekday of the month starting at `first`; nil when the month has no such day.
    static func nth(_ day: Day, in first: CalendarDate) -> CalendarDate? {
        guard let ordinal = day.ordinal else { return nil }
        let length = CalendarDate.daysIn(month: first.month, year: first.year)
        if ordinal > 0 {
            let offset = (day.weekday - first.weekday + 7) % 7 + 7 * (ordinal - 1)
            return offset < length ? first.adding(days: offset) : nil
        }
        let last = first.adding(days: length - 1)
        let offset = (last.weekday - day.weekday + 7) % 7 + 7 * (-ordinal - 1)
        return offset < length ? last.adding(days: -offset) : nil
    }

    static func parseUntil(_ text: String) -> Date? {
        let digits = text.filter(\.isNumber)
        guard digits.count == 8 || digits.count == 14,
            let date = CalendarDate(year: Int(digits.prefix(4))!, month: Int(digits.dropFirst(4).prefix(2))!, day: Int(digits.dropFirst(6).prefix(2))!)
        else { return nil }
        var seconds = Double(date.daysSinceEpoch) * 86400
        if digits.count == 14 {
            guard text.hasSuffix("Z") else { return nil }
            seconds += Double(Int(digits.dropFirst(8).prefix(2))! * 3600 + Int(digits.dropFirst(10).prefix(2))! * 60 + Int(digits.suffix(2))!)
        } else {
            seconds += 86399
        }
        return Date(timeIntervalSince1970: seconds)
    }

    static func formatUntil(_ date: Date) -> String {
        let day = CalendarDate(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86400).rounded(.down)))
        let seconds = Int(date.timeIntervalSince1970) - day.daysSinceEpoch * 86400
        return day.description.replacingOccurrences(of: "-", with: "") + String(format: "T%02d%02d%02dZ", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

import Foundation

/// RFC 3339 times: read with or without fractional seconds and with any offset (`Z`, `+08:00`);
/// written in UTC with milliseconds (`2026-11-30T01:30:00.000Z`).
///
/// Hand-written rather than through `ISO8601DateFormatter`: every API body, event payload, audit
/// digest and webhook passes through here, and a Foundation formatter costs an ICU formatter each
/// time it is made.
public enum RFC3339 {
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64(((date.timeIntervalSince1970 * 1000) + 0.0005).rounded(.down))
        var days = totalMilliseconds / 86_400_000
        var rest = totalMilliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let day = CalendarDate(daysSinceEpoch: Int(days))
        let hour = rest / 3_600_000
        let minute = rest / 60_000 % 60
        let second = rest / 1000 % 60
        let millisecond = rest % 1000
        var text = ""
        text.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            let string = String(value)
            if string.count < width { text += String(repeating: "0", count: width - string.count) }
            text += string
        }
        digits(Int64(day.year), 4)
        text += "-"
        digits(Int64(day.month), 2)
        text += "-"
        digits(Int64(day.day), 2)
        text += "T"
        digits(hour, 2)
        text += ":"
        digits(minute, 2)
        text += ":"
        digits(second, 2)
        text += "."
        digits(millisecond, 3)
        text += "Z"
        return text
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= u.count else { return nil }
            var value = 0
            for i in index..<(index + count) {
                let digit = Int(u[i]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            index += count
            return value
        }
        func expect(_ characters: UInt8...) -> Bool {
            guard index < u.count, characters.contains(u[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2), expect(84, 116), let hour = number(2),
            expect(58), let minute = number(2), expect(58), let second = number(2),
            let calendarDay = CalendarDate(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if index < u.count, u[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < u.count, (48...57).contains(u[index]) {
                fraction += Double(u[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if expect(90, 122) {
            offset = 0
        } else if index < u.count, u[index] == 43 || u[index] == 45 {
            let sign = u[index] == 45 ? -1 : 1
            index += 1
            guard let hours = number(2), expect(58), let minutes = number(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == u.count else { return nil }
        let seconds = calendarDay.daysSinceEpoch * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

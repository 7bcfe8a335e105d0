import Foundation
import GridCore

/// timestamptz: sent as RFC 3339 in UTC with microseconds; read in the ISO form the session is set to
/// (`DateStyle=ISO`, `TimeZone=UTC`), e.g. `2026-11-30 08:11:30.123456+00`.
extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 1184 }

    public var postgresBind: PostgresBind { .text(Self.rfc3339(self), oid: 1184) }

    public init(postgresText text: String) throws {
        guard let date = Self.parsePostgres(text) else { throw PostgresError.decoding("not a timestamptz: \(text)") }
        self = date
    }

    static func rfc3339(_ date: Date) -> String {
        var micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        micros %= 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros))
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]` (and `infinity` is refused).
    static func parsePostgres(_ text: String) -> Date? {
        let u = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let d = Int(u[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard u.count >= 22, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < u.count, u[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < u.count, u[index] >= 48, u[index] <= 57 {
                fraction += Double(u[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < u.count, u[index] == UInt8(ascii: "+") || u[index] == UInt8(ascii: "-") else { return nil }
        let sign = u[index] == UInt8(ascii: "+") ? 1 : -1
        guard let offsetHours = number(index + 1, 2) else { return nil }
        var offset = offsetHours * 3600
        index += 3
        if index < u.count, u[index] == UInt8(ascii: ":"), let minutes = number(index + 1, 2) {
            offset += minutes * 60
            index += 3
            if index < u.count, u[index] == UInt8(ascii: ":"), let seconds = number(index + 1, 2) { offset += seconds }
        }
        let days = CalendarDate.daysFromCivil(year: year, month: month, day: day)
        let epoch = Double(days * 86400 + hour * 3600 + minute * 60 + second - sign * offset) + fraction
        return Date(timeIntervalSince1970: epoch)
    }
}

/// date
extension CalendarDate: PostgresEncodable, PostgresDecodable {
    public static var postgresOID: UInt32 { 1082 }
    public var postgresBind: PostgresBind { .text(description, oid: 1082) }
    public init(postgresText text: String) throws {
        guard let date = CalendarDate(text) else { throw PostgresError.decoding("not a date: \(text)") }
        self = date
    }
}

import Foundation

/// Dates and times as the district's staff read them on printed pages and in exports:
/// 2026年11月22日 20:05 in the mesh's time zone (Beijing), never an RFC 3339 instant in UTC.
public enum ChineseTime {
    /// 2026年11月22日 20:05
    public static func dateTime(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year ?? 0)年\(c.month ?? 0)月\(c.day ?? 0)日 " + String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// 2026年12月8日
    public static func date(_ day: CalendarDate) -> String { "\(day.year)年\(day.month)月\(day.day)日" }

    /// A `YYYY-MM-DD` day written the same way; any other text as it is.
    public static func date(_ text: String) -> String { CalendarDate(text).map(date) ?? text }
}

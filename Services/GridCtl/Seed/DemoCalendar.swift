import GridCore

/// The public holidays of 2026 and their make-up working days, as the State Council's notice sets
/// them, for the demo; a district maintains its own with `gridctl calendar`.
enum DemoCalendar {
    static let holidays: [(String, String, String)] = [
        ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"), ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"), ("2027-01-01", "2027-01-01", "元旦"),
    ]
    static let workdays: [(String, String)] = [
        ("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"), ("2026-05-09", "劳动节调休"),
        ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休"),
    ]

    /// Every (day, kind, name) row.
    static var rows: [(CalendarDate, String, String)] {
        var rows: [(CalendarDate, String, String)] = []
        for (first, last, name) in holidays {
            var day = CalendarDate(first)!
            while day <= CalendarDate(last)! {
                rows.append((day, "holiday", name))
                day = day.adding(days: 1)
            }
        }
        return rows + workdays.map { (CalendarDate($0.0)!, "workday", $0.1) }
    }
}

import Foundation

/// Working days in the district: Monday to Friday, except public holidays, plus the weekend days
/// officially made working days (调休). Deadlines "in N working days" count on it.
public struct WorkingCalendar: Sendable {
    /// Weekdays declared holidays.
    public let holidays: Set<CalendarDate>
    /// Weekend days declared working days.
    public let workdays: Set<CalendarDate>
    public let timeZone: TimeZone

    public init(holidays: Set<CalendarDate> = [], workdays: Set<CalendarDate> = [], timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.holidays = holidays
        self.workdays = workdays
        self.timeZone = timeZone
    }

    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return day.weekday <= 5
    }

    /// The working day `count` working days after `day` (count ≥ 1; `day` itself does not count).
    public func adding(workingDays count: Int, to day: CalendarDate) -> CalendarDate {
        var current = day
        var remaining = max(0, count)
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The deadline for work started at `start`: the end (23:59:59.999 local) of the Nth working day after it.
    public func deadline(workingDays count: Int, from start: Date) -> Date {
        let last = adding(workingDays: count, to: day(of: start))
        return endOfDay(last)
    }

    /// The calendar day `date` falls on, in the district's time zone.
    public func day(of date: Date) -> CalendarDate {
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + offset
        return CalendarDate(daysSinceEpoch: Int((Double(seconds) / 86400).rounded(.down)))
    }

    /// Midnight at the start of `day` in the district's time zone.
    public func startOfDay(_ day: CalendarDate) -> Date {
        let midnightUTC = Double(day.daysSinceEpoch) * 86400
        let offset = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnightUTC)))
        return Date(timeIntervalSince1970: midnightUTC - offset)
    }

    /// The last instant of `day` in the district's time zone.
    public func endOfDay(_ day: CalendarDate) -> Date {
        let nextMidnightUTC = Double(day.adding(days: 1).daysSinceEpoch) * 86400
        let guess = Date(timeIntervalSince1970: nextMidnightUTC)
        let offset = Double(timeZone.secondsFromGMT(for: guess))
        return Date(timeIntervalSince1970: nextMidnightUTC - offset - 0.001)
    }
}

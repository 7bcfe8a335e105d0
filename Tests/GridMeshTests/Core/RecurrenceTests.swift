import Foundation
import GridCore
import Testing

@Suite("RRULE subset")
struct RecurrenceTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func local(_ text: String) -> Date {
        // "2026-12-03 09:30" in Shanghai
        let calendar = WorkingCalendar(timeZone: shanghai)
        let parts = text.split(separator: " ")
        let time = parts[1].split(separator: ":").map { Double($0)! }
        return calendar.startOfDay(CalendarDate(String(parts[0]))!).addingTimeInterval(time[0] * 3600 + time[1] * 60)
    }

    func days(_ dates: [Date]) -> [String] {
        let calendar = WorkingCalendar(timeZone: shanghai)
        return dates.map { calendar.day(of: $0).description }
    }

    @Test func everyThursdayAcrossTheYearEndKeepsItsLocalTime() throws {
        let rule = try Recurrence("FREQ=WEEKLY;BYDAY=TH")
        let dates = rule.occurrences(from: local("2026-12-17 09:30"), before: local("2027-01-15 00:00"), timeZone: shanghai)
        #expect(days(dates) == ["2026-12-17", "2026-12-24", "2026-12-31", "2027-01-07", "2027-01-14"])
        #expect(dates.allSatisfy { RFC3339.format($0).hasSuffix("T01:30:00.000Z") }, "09:30 in Shanghai is 01:30 UTC")
    }

    @Test func everySecondWeekOnTwoDaysAndCount() throws {
        let rule = try Recurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5")
        let dates = rule.occurrences(from: local("2026-12-21 14:00"), before: local("2027-12-31 00:00"), timeZone: shanghai)
        #expect(days(dates) == ["2026-12-21", "2026-12-24", "2027-01-04", "2027-01-07", "2027-01-18"])
    }

    @Test func monthlyByPositionAcrossMonthAndYearEnds() throws {
        let last = try Recurrence("FREQ=MONTHLY;BYDAY=-1FR")
        #expect(
            days(last.occurrences(from: local("2026-11-27 09:00"), before: local("2027-03-01 00:00"), timeZone: shanghai)) == [
                "2026-11-27", "2026-12-25", "2027-01-29", "2027-02-26",
            ])
        // months without a fifth Thursday are skipped, as RFC 5545 says
        let fifth = try Recurrence("FREQ=MONTHLY;BYDAY=5TH")
        #expect(
            days(fifth.occurrences(from: local("2026-10-01 09:00"), before: local("2027-05-01 00:00"), timeZone: shanghai)) == [
                "2026-10-29", "2026-12-31", "2027-04-29",
            ])
        let until = try Recurrence("FREQ=MONTHLY;BYDAY=2TH;UNTIL=20270215T000000Z")
        #expect(
            days(until.occurrences(from: local("2026-12-01 09:30"), before: local("2028-01-01 00:00"), timeZone: shanghai)) == [
                "2026-12-10", "2027-01-14", "2027-02-11",
            ])
    }

    @Test func rulesOutsideTheSubsetAreRefusedWithAReason() throws {
        for bad in [
            "FREQ=DAILY;BYDAY=TH", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=2TH", "FREQ=MONTHLY;BYDAY=TH",
            "FREQ=MONTHLY;BYDAY=6TH", "FREQ=WEEKLY;BYDAY=TH;COUNT=2;UNTIL=20270101", "FREQ=WEEKLY;BYDAY=TH;BYHOUR=9", "FREQ=WEEKLY;INTERVAL=0;BYDAY=TH",
        ] {
            #expect(throws: Recurrence.Invalid.self, "\(bad)") { try Recurrence(bad) }
        }
        #expect(try Recurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5").description == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5")
    }
}

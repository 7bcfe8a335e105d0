import GridCore
import Testing

@Suite("The State Council's holiday arrangement as text")
struct HolidayArrangementTests {
    let notice = """
        # 国务院办公厅关于2026年部分节假日安排的通知
        year 2026
        holiday 2026-01-01 2026-01-03 元旦
        workday 2026-01-04 元旦调休   # a Sunday
        holiday 2026-10-01 2026-10-07 国庆节
        workday 2026-10-10 国庆节调休
        """

    @Test func aNoticeParsesIntoItsDaysAndPrintsBackTheSame() throws {
        let arrangement = try HolidayArrangement(parsing: notice)
        #expect(arrangement.year == 2026)
        #expect(arrangement.days.count == 3 + 1 + 7 + 1)
        #expect(arrangement.days.first { $0.day == CalendarDate("2026-10-05") }?.name == "国庆节")
        #expect(arrangement.days.first { $0.day == CalendarDate("2026-01-04") }?.kind == .workday)
        #expect(
            arrangement.text
                == "year 2026\nholiday 2026-01-01 2026-01-03 元旦\nworkday 2026-01-04 元旦调休\nholiday 2026-10-01 2026-10-07 国庆节\nworkday 2026-10-10 国庆节调休\n")
        #expect(try HolidayArrangement(parsing: arrangement.text) == arrangement)
    }

    @Test func aNewYearHolidayMayStartInTheDecemberBefore() throws {
        let arrangement = try HolidayArrangement(parsing: "year 2019\nholiday 2018-12-30 2019-01-01 元旦\nworkday 2018-12-29 元旦调休\n")
        #expect(arrangement.days.map(\.day.description) == ["2018-12-29", "2018-12-30", "2018-12-31", "2019-01-01"])
    }

    @Test(arguments: [
        ("holiday 2026-01-01 元旦", 1, "the year line must come first"),
        ("year 2026\nyear 2027", 2, "a second year line"),
        ("year 26", 1, "expected `year YYYY`"),
        ("year 2026\nworkday 2026-01-05 调休", 2, "is a weekday"),
        ("year 2026\nholiday 2026-02-30 春节", 2, "expected `holiday YYYY-MM-DD"),
        ("year 2026\nholiday 2026-01-01", 2, "expected `holiday YYYY-MM-DD"),
        ("year 2026\nholiday 2026-01-03 2026-01-01 元旦", 2, "not a range"),
        ("year 2026\nholiday 2025-06-01 端午", 2, "outside 2026"),
        ("year 2026\nholiday 2027-01-01 元旦", 2, "outside 2026"),
        ("year 2026\nholiday 2026-01-01 元旦\nholiday 2026-01-01 2026-01-02 元旦", 3, "named twice"),
        ("year 2026\nvacation 2026-08-01 暑假", 2, "unknown line"),
        ("year 2026\nworkday 2026-01-04 调休", 1, "no holiday"),
        ("# nothing", 1, "no `year YYYY` line"),
    ])
    func aMistakeIsNamedWithItsLine(text: String, line: Int, message: String) {
        #expect {
            try HolidayArrangement(parsing: text)
        } throws: { error in
            guard let error = error as? HolidayArrangement.ParseError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }
}

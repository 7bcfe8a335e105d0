import Testing

@testable import Daemon
@testable import Meeting

@Suite("Escaping for calendars and spreadsheets")
struct EscapingTests {
    @Test func everyLineBreakIsEscapedInAnICalendarText() {
        #expect(ICalendar.escape("a\r\nb\nc\rd") == "a\\nb\\nc\\nd", "a lone CR too: it would end the property")
        #expect(ICalendar.escape("会议室, 三楼; 东\\侧") == "会议室\\, 三楼\\; 东\\\\侧")
        #expect(!ICalendar.escape("x\rBEGIN:VEVENT").contains("\r"))
    }

    @Test(arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1+1", "\r\n=1"])
    func aCellThatCouldBeAFormulaIsQuotedAsText(value: String) {
        let cell = CSVResponse.field(value)
        #expect(cell.hasPrefix("\"'"), "\(cell)")
    }

    @Test func plainCellsStayPlain() {
        #expect(CSVResponse.field("环境卫生") == "环境卫生")
        #expect(CSVResponse.field("a,b") == "\"a,b\"")
        #expect(CSVResponse.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}

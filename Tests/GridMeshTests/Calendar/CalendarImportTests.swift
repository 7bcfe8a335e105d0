import Foundation
import GridCore
import Postgres
import Testing

@Suite("gridctl calendar: a year's arrangement imported once, audited, and watched for by the daemons", .serialized)
struct CalendarImportTests {
    /// A made-up arrangement for 2027 (test data, not the State Council's).
    static let test2027 = """
        # 测试用安排，非国务院通知
        year 2027
        holiday 2027-01-01 测试元旦
        holiday 2027-02-08 2027-02-12 测试春节
        workday 2027-02-06 测试调休
        """

    func write(_ text: String) throws -> String {
        let file = TestScratch.path("calendar-\(UUID().uuidString.prefix(8)).txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func importingIsIdempotentAuditedAndACorrectedFileReplacesTheYear() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        let file = try write(Self.test2027)
        let (status, output) = try await Mesh.gridctl(database, ["calendar", "import", file, "--by", "ops-wang"])
        #expect(status == 0 && output.contains("2027: 7 days imported (6 holidays, 1 make-up working days), 0 replaced"), "\(output)")
        let calendar = try TestClock.calendar(database)
        #expect(!calendar.isWorkingDay(CalendarDate("2027-02-10")!) && calendar.isWorkingDay(CalendarDate("2027-02-06")!))

        let (again, unchanged) = try await Mesh.gridctl(database, ["calendar", "import", file, "--by", "ops-wang"])
        #expect(again == 0 && unchanged.contains("unchanged"), "\(unchanged)")
        let audited = try connection.query(
            "SELECT actor, target FROM mesh.audit_log WHERE chain = 'gridctl' AND action = 'calendar.import' ORDER BY seq"
        ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
        #expect(audited == ["ops-wang calendar:2027"], "the second import changed nothing and wrote nothing")

        // a corrected notice: Spring Festival a day shorter, the make-up day gone
        let corrected = try write(
            Self.test2027.replacingOccurrences(of: "2027-02-12", with: "2027-02-11").replacingOccurrences(of: "workday 2027-02-06 测试调休", with: ""))
        let (fixed, fixedOutput) = try await Mesh.gridctl(database, ["calendar", "import", corrected, "--by", "ops-wang"])
        #expect(fixed == 0 && fixedOutput.contains("5 days imported") && fixedOutput.contains("7 replaced"), "\(fixedOutput)")
        let now = try TestClock.calendar(database)
        #expect(now.isWorkingDay(CalendarDate("2027-02-12")!) && !now.isWorkingDay(CalendarDate("2027-02-06")!))
        #expect(!now.isWorkingDay(CalendarDate("2026-10-05")!), "other years are untouched")
        let (shown, text) = try await Mesh.gridctl(database, ["calendar", "show", "2027"])
        #expect(shown == 0 && text.contains("holiday 2027-02-08 2027-02-11 测试春节") && !text.contains("workday"), "\(text)")
        let (verified, report) = try await Mesh.gridctl(database, ["audit", "verify"])
        #expect(verified == 0 && report.contains("0 chains broken"), "\(report)")
    }

    @Test func aBadFileIsRefusedWholeAndChangesNothing() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let before = try TestClock.calendar(database)
        let file = try write(Self.test2027 + "\nworkday 2027-03-03 周三调休\n")
        let (status, output) = try await Mesh.gridctl(database, ["calendar", "import", file])
        #expect(status != 0 && output.contains("line 6") && output.contains("weekday"), "\(output)")
        let after = try TestClock.calendar(database)
        #expect(after.holidays == before.holidays && after.workdays == before.workdays)
        #expect(try database.connect().query("SELECT count(*)::int FROM geo.calendar_years WHERE year = 2027").first!.decode(Int.self, at: 0) == 0)
        let (missing, _) = try await Mesh.gridctl(database, ["calendar", "show", "2027"])
        #expect(missing != 0)
    }

    @Test func fromTheFirstOfDecemberDaemonsWarnWhileTheComingYearIsMissing() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let clock = ShiftedWallClock(file: TestScratch.path("clock-\(UUID().uuidString.prefix(8))"))
        try clock.set(to: RFC3339.parse("2026-11-30T12:00:00+08:00")!)
        let patrold = try await Mesh.start(
            "patrold", database: database, extra: ["GRIDMESH_CLOCK_FILE": clock.file, "GRIDMESH_CALENDAR_CHECK_MS": "1000"])
        func missing() async throws -> Int? {
            let metrics = try await Mesh.request("GET", "\(patrold.baseURL)/metrics").text
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("gridmesh_calendar_missing_years ") }
            return line.flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) }
        }
        #expect(try await TestSupport.eventually { try await missing() == 0 }, "November: 2026 is in, 2027 not needed yet")
        try clock.set(to: RFC3339.parse("2026-12-01T00:00:10+08:00")!)
        #expect(try await TestSupport.eventually { try await missing() == 1 }, "1 December: 2027 is missing")
        #expect(try await TestSupport.eventually { patrold.log.contains("the holiday calendar has no arrangement for 2027") })
        let (status, _) = try await Mesh.gridctl(database, ["calendar", "import", try write(Self.test2027)])
        #expect(status == 0)
        #expect(try await TestSupport.eventually { try await missing() == 0 }, "imported: the warning ends without a restart")
        _ = try await patrold.terminate()
    }
}

import Foundation
import Geography
import GridCore
import Postgres

/// The mesh clock of the test process: every daemon a test starts reads its domain time from one
/// clock file, set once to the instant the suite runs as if it were. `GRIDMESH_TEST_NOW` (an RFC
/// 3339 instant) chooses it — `scripts/test --dates` runs the date-sensitive suites once per
/// instant of its list — else a fixed ordinary Wednesday morning, so no test depends on the day
/// it runs. Time flows on from the set instant, as it does for the daemons.
enum TestClock {
    static let defaultInstant = "2026-06-10T10:00:00+08:00"

    static let clock: ShiftedWallClock = {
        let text = ProcessInfo.processInfo.environment["GRIDMESH_TEST_NOW"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultInstant
        guard let instant = RFC3339.parse(text) else { fatalError("GRIDMESH_TEST_NOW=\(text) is not an RFC 3339 instant") }
        let clock = ShiftedWallClock(file: TestScratch.path("mesh-clock"))
        do { try clock.set(to: instant) } catch { fatalError("cannot write the test clock file: \(error)") }
        return clock
    }()

    static var file: String { clock.file }

    /// The mesh's time now.
    static func now() -> Date { clock.now() }

    /// The mesh's time `seconds` from now, as RFC 3339.
    static func rfc3339(_ seconds: TimeInterval = 0) -> String { RFC3339.format(now().addingTimeInterval(seconds)) }

    /// Today in the district's time zone, read afresh (a test may cross midnight).
    static var today: CalendarDate { WorkingCalendar().day(of: now()) }

    /// The district's working calendar as the daemons of `database` count on it (the seeded
    /// holidays and make-up working days included).
    static func calendar(_ database: TestDatabase) throws -> WorkingCalendar {
        try CalendarSchema.load(on: try database.connect(), timeZone: WorkingCalendar().timeZone)
    }
}

/// Files a test makes go under the run's scratch folder (`TMPDIR`, which scripts/test points into
/// its throwaway folder), one folder per test process.
enum TestScratch {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "gridmesh-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }
}

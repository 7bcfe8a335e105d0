import Foundation
import GridCore
import Testing

@Suite("The shifted mesh clock of tests and demos")
struct MeshClockTests {
    @Test func aClockFileShiftsTimeAndTimeFlowsOnFromWhereItWasSet() async throws {
        let file = TestScratch.path("clock-\(UUID().uuidString.prefix(8))")
        let clock = ShiftedWallClock(file: file)
        #expect(clock.offset() == 0, "no file: no shift")
        #expect(abs(clock.now().timeIntervalSinceNow) < 1)

        let monday = try #require(RFC3339.parse("2026-11-16T08:30:00+08:00"))
        try clock.set(to: monday)
        #expect(abs(clock.now().timeIntervalSince(monday)) < 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(clock.now().timeIntervalSince(monday) >= 0.25, "time flows on from the set instant")
        #expect(abs(ShiftedWallClock(file: file).now().timeIntervalSince(monday)) < 2, "every reader of the file sees the same time")

        try "not a number".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(clock.offset() == 0, "an unreadable shift is no shift")
    }

    @Test func gridctlSetsAndShowsTheMeshClock() async throws {
        let database = try await TestDatabase.make()
        let file = TestScratch.path("clock-\(UUID().uuidString.prefix(8))")
        let (status, output) = try await Mesh.gridctl(database, ["clock", "set", "2026-11-22T20:05:00+08:00", "--file", file])
        #expect(status == 0, "\(output)")
        let (_, shown) = try await Mesh.gridctl(database, ["clock", "show", "--file", file])
        #expect(shown.hasPrefix("2026-11-22T12:0"), "\(shown)")
        let (refused, message) = try await Mesh.gridctl(database, ["clock", "set", "next tuesday", "--file", file])
        #expect(refused != 0 && message.contains("RFC 3339"))
    }
}

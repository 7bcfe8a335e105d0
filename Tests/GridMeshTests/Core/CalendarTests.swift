import Foundation
import GridCore
import Testing

@testable import Patrol

@Suite("Working days, coordinates and the loop's rules")
struct CalendarTests {
    @Test func workingDaysSkipWeekendsAndHolidaysAndCountMakeUpDays() {
        let plain = WorkingCalendar()
        let friday = CalendarDate("2026-12-04")!
        #expect(plain.adding(workingDays: 1, to: friday) == CalendarDate("2026-12-07"))
        // National Day 2026: 1–7 October off, Saturday 10 October worked
        let national = WorkingCalendar(
            holidays: Set((1...7).map { CalendarDate(year: 2026, month: 10, day: $0)! }), workdays: [CalendarDate("2026-10-10")!])
        #expect(national.adding(workingDays: 3, to: CalendarDate("2026-09-30")!) == CalendarDate("2026-10-10"))
        #expect(national.isWorkingDay(CalendarDate("2026-10-10")!))
        #expect(!national.isWorkingDay(CalendarDate("2026-10-05")!))
    }

    @Test func deadlinesEndAtMidnightInShanghai() {
        let calendar = WorkingCalendar()
        // Monday 30 November 2026, 10:00 in Shanghai
        let monday = Date(timeIntervalSince1970: 1_796_004_000)
        #expect(calendar.day(of: monday) == CalendarDate("2026-11-30"))
        let deadline = calendar.deadline(workingDays: 3, from: monday)
        #expect(RFC3339.format(deadline) == "2026-12-03T15:59:59.999Z")
        // late on Monday evening in Shanghai is already Monday afternoon in UTC: still Monday
        #expect(calendar.day(of: Date(timeIntervalSince1970: 1_796_053_000)) == CalendarDate("2026-11-30"))
    }

    @Test func gcj02ConvertsBackToWithinMillimetres() {
        let wgs = Coordinates(latitude: 30.5502, longitude: 114.3551)
        let gcj = Coordinates.wgsToGCJ(wgs)
        #expect(abs(gcj.latitude - wgs.latitude) > 0.001 || abs(gcj.longitude - wgs.longitude) > 0.001, "GCJ-02 is offset by hundreds of metres")
        let back = gcj.toWGS84(from: .gcj02)
        #expect(abs(back.latitude - wgs.latitude) < 1e-7)
        #expect(abs(back.longitude - wgs.longitude) < 1e-7)
        let viaBaidu = Coordinates.gcjToBD(gcj).toWGS84(from: .bd09)
        #expect(abs(viaBaidu.latitude - wgs.latitude) < 1e-5)
        let abroad = Coordinates(latitude: 51.5, longitude: -0.12)
        #expect(abroad.toWGS84(from: .gcj02) == abroad)
    }

    @Test func theLoopAllowsOnlyItsEdges() throws {
        #expect(throws: FindingLifecycle.Refusal.illegalTransition(from: .submitted, action: .close)) {
            try FindingLifecycle.check(.close, from: .submitted, role: .streetOfficer, reason: nil)
        }
        #expect(throws: FindingLifecycle.Refusal.roleNotAllowed(.gridWorker, .dispatch)) {
            try FindingLifecycle.check(.dispatch, from: .triaged, role: .gridWorker, reason: nil)
        }
        #expect(throws: FindingLifecycle.Refusal.reasonRequired(.reject)) {
            try FindingLifecycle.check(.reject, from: .submitted, role: .streetOfficer, reason: "  ")
        }
        try FindingLifecycle.check(.verify, from: .resolved, role: .gridWorker, reason: nil)
        for state in FindingState.allCases where state.isTerminal && state != .closed {
            #expect(FindingAction.allCases.allSatisfy { !$0.sources.contains(state) }, "\(state) is final")
        }
        #expect(FindingLifecycle.edges.count == FindingAction.allCases.map(\.sources.count).reduce(0, +))
    }
}

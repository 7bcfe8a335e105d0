import Foundation
import GridCore
import Reentry
import Testing

@Suite("Contact standards: one engine for every due date")
struct ContactEngineTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static let calendar = WorkingCalendar()

    static func standard(
        _ id: Int, kind: CaseKind = .postRelease, _ level: SupervisionLevel, _ type: ContactType, every periodic: (Int, Int, PeriodUnit)? = nil,
        first: (Int, PeriodUnit)? = nil, from: String = "2020-01-01"
    ) -> ContactStandard {
        ContactStandard(
            id: id, kind: kind, level: level, contactType: type,
            periodic: periodic.map { ContactStandard.Periodic(count: $0.0, per: Span(length: $0.1, unit: $0.2)) },
            firstWithin: first.map { Span(length: $0.0, unit: $0.1) }, effectiveFrom: day(from))
    }

    static func engine(
        starts: String, ends: String = "2027-12-31", levels: [(SupervisionLevel, String)] = [(.strict, "")], _ standards: [ContactStandard],
        deferrals: [ContactEngine.Deferral] = [], kind: CaseKind = .postRelease, calendar: WorkingCalendar = calendar
    ) -> ContactEngine {
        ContactEngine(
            kind: kind, startsOn: day(starts), endsOn: day(ends),
            levels: levels.map { ContactEngine.LevelChange(level: $0.0, effectiveOn: $0.1.isEmpty ? day(starts) : day($0.1)) }, standards: standards,
            deferrals: deferrals, calendar: calendar)
    }

    static func visit(_ on: String, _ counts: Set<ContactType> = [.homeVisit, .faceToFace, .phone]) -> ContactEngine.CountedContact {
        ContactEngine.CountedContact(id: UUID(), day: day(on), counts: counts)
    }

    @Test func theFirstHomeVisitIsDueWithinFourteenDaysAndALateOneClearsTheOverdue() {
        let engine = Self.engine(starts: "2026-11-01", [Self.standard(1, .strict, .homeVisit, first: (14, .days))])
        let onTheDay = engine.obligations(asOf: Self.day("2026-11-15"), contacts: [])
        #expect(onTheDay.count == 1)
        #expect(onTheDay[0].rule == .first && onTheDay[0].dueOn == Self.day("2026-11-15") && onTheDay[0].state == .open)
        #expect(engine.obligations(asOf: Self.day("2026-11-16"), contacts: [])[0].state == .overdue)
        let late = engine.obligations(asOf: Self.day("2026-11-30"), contacts: [Self.visit("2026-11-20")])[0]
        #expect(late.state == .late && late.completedOn == Self.day("2026-11-20"))
        #expect(engine.obligations(asOf: Self.day("2026-11-30"), contacts: [Self.visit("2026-11-10")])[0].state == .met)
        // a contact that does not count as a home visit does not meet it
        #expect(engine.obligations(asOf: Self.day("2026-11-30"), contacts: [Self.visit("2026-11-10", [.faceToFace, .phone])])[0].state == .overdue)
    }

    @Test func twoFaceToFaceContactsPerThirtyDaysAndALateContactCatchesUpTheOldestWindowFirst() {
        let engine = Self.engine(starts: "2026-01-01", [Self.standard(1, .strict, .faceToFace, every: (2, 30, .days))])
        let contacts = [Self.visit("2026-01-05"), Self.visit("2026-01-20"), Self.visit("2026-02-10")]
        let before = engine.obligations(asOf: Self.day("2026-03-05"), contacts: contacts)
        #expect(before.map(\.windowStart) == ["2026-01-01", "2026-01-31", "2026-03-02"].map(Self.day))
        #expect(before.map(\.dueOn) == ["2026-01-30", "2026-03-01", "2026-03-31"].map(Self.day))
        #expect(before.map(\.state) == [.met, .overdue, .open])
        let after = engine.obligations(asOf: Self.day("2026-03-05"), contacts: contacts + [Self.visit("2026-03-03")])
        #expect(after.map(\.state) == [.met, .late, .open])
        #expect(after[2].contacts.isEmpty)
    }

    @Test func calendarMonthWindowsEndAtMonthEndsAndMonthSpansClampToShortMonths() {
        let engine = Self.engine(
            starts: "2027-01-31", [Self.standard(1, kind: .communityCorrection, .strict, .homeVisit, every: (1, 2, .months))], kind: .communityCorrection)
        let windows = engine.obligations(asOf: Self.day("2027-05-01"), contacts: [])
        #expect(windows.map(\.windowStart) == ["2027-01-31", "2027-03-01", "2027-05-01"].map(Self.day))
        #expect(windows.map(\.dueOn) == ["2027-02-28", "2027-04-30", "2027-06-30"].map(Self.day))
        #expect(Span(length: 1, unit: .months).deadline(from: Self.day("2027-01-31"), calendar: Self.calendar) == Self.day("2027-02-28"))
        #expect(Span(length: 1, unit: .months).deadline(from: Self.day("2028-01-31"), calendar: Self.calendar) == Self.day("2028-02-29"))
        #expect(Span(length: 1, unit: .months).deadline(from: Self.day("2026-12-31"), calendar: Self.calendar) == Self.day("2027-01-31"))
    }

    @Test func workingDayWindowsSkipHolidaysAndCountMakeUpDays() {
        // National Day 2026: Oct 1–2 and 5–7 off, Saturday Oct 10 worked
        let holidays = Set(["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map(Self.day))
        let calendar = WorkingCalendar(holidays: holidays, workdays: [Self.day("2026-10-10")])
        let engine = Self.engine(starts: "2026-09-30", [Self.standard(1, .strict, .phone, every: (1, 5, .workingDays))], calendar: calendar)
        let windows = engine.obligations(asOf: Self.day("2026-10-13"), contacts: [])
        // Sep 30, Oct 8, 9, 10 (make-up), 12: five working days
        #expect(windows.first?.windowEnd == Self.day("2026-10-12"))
        #expect(windows.map(\.windowStart) == ["2026-09-30", "2026-10-13"].map(Self.day))
        #expect(Span(length: 10, unit: .workingDays).deadline(from: Self.day("2026-11-01"), calendar: WorkingCalendar()) == Self.day("2026-11-13"))
    }

    @Test func aLevelChangeCutsTheWindowInForceAndStartsTheNewLevelsWindowsFromItsDay() {
        let standards = [Self.standard(1, .strict, .faceToFace, every: (2, 30, .days)), Self.standard(2, .standard, .faceToFace, every: (1, 30, .days))]
        let engine = Self.engine(starts: "2026-01-01", levels: [(.strict, ""), (.standard, "2026-01-20")], standards)
        let windows = engine.obligations(asOf: Self.day("2026-03-01"), contacts: [Self.visit("2026-01-10")])
        #expect(windows.map(\.windowStart) == ["2026-01-01", "2026-01-20", "2026-02-19"].map(Self.day))
        #expect(windows.map(\.level) == [.strict, .standard, .standard])
        #expect(windows.map(\.required) == [2, 1, 1])
        #expect(windows.map(\.state) == [.superseded, .overdue, .open])
        #expect(windows[0].windowEnd == Self.day("2026-01-19") && windows[0].cut)
        #expect(engine.level(on: Self.day("2026-01-19")) == .strict && engine.level(on: Self.day("2026-01-20")) == .standard)
    }

    @Test func aNewVersionOfAStandardAppliesFromItsEffectiveDate() {
        let standards = [
            Self.standard(1, .strict, .faceToFace, every: (2, 30, .days)), Self.standard(7, .strict, .faceToFace, every: (4, 30, .days), from: "2026-02-01"),
        ]
        let windows = Self.engine(starts: "2026-01-01", standards).obligations(asOf: Self.day("2026-02-10"), contacts: [])
        #expect(windows.map(\.standardID) == [1, 1, 7])
        #expect(windows.map(\.required) == [2, 2, 4])
        #expect(windows.map(\.windowStart) == ["2026-01-01", "2026-01-31", "2026-02-01"].map(Self.day))
        #expect(windows[1].cut && windows[1].windowEnd == Self.day("2026-01-31"))
    }

    @Test func aDeferralMovesADueDateThatFallsInItsSpan() {
        let deferral = ContactEngine.Deferral(contactType: .homeVisit, from: Self.day("2026-11-10"), until: Self.day("2026-11-25"))
        let engine = Self.engine(starts: "2026-11-01", [Self.standard(1, .strict, .homeVisit, first: (14, .days))], deferrals: [deferral])
        let obligation = engine.obligations(asOf: Self.day("2026-11-20"), contacts: [])[0]
        #expect(obligation.dueOn == Self.day("2026-11-25") && obligation.state == .open)
        let other = ContactEngine.Deferral(contactType: .phone, from: Self.day("2026-11-10"), until: Self.day("2026-11-25"))
        #expect(
            Self.engine(starts: "2026-11-01", [Self.standard(1, .strict, .homeVisit, first: (14, .days))], deferrals: [other])
                .obligations(asOf: Self.day("2026-11-20"), contacts: [])[0].state == .overdue)
    }

    @Test func onlyACompletedDirectContactCountsAsFaceToFaceAndAHomeVisitOnlyAtTheResidence() {
        #expect(ContactCounting.counts(method: "in_person", location: "residence", outcome: "completed") == [.faceToFace, .homeVisit, .phone])
        #expect(ContactCounting.counts(method: "in_person", location: "office", outcome: "completed") == [.faceToFace, .phone])
        #expect(ContactCounting.counts(method: "video", location: "remote", outcome: "completed") == [.phone])
        #expect(ContactCounting.counts(method: "via_family", location: "residence", outcome: "completed") == [])
        #expect(ContactCounting.counts(method: "in_person", location: "residence", outcome: "not_home") == [])
    }
}

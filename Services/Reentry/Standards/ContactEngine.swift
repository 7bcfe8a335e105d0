import Foundation
import GridCore

/// What one case owes: every contact the standards required of it, when each was due, which
/// contacts met it, and whether it was met, met late, is overdue or still open.
///
/// One engine computes every due date, for the live due lists, the overdue sweep and the
/// responsibility review alike. It is a pure function of the case's facts, so it is tested without
/// a database.
public struct ContactEngine: Sendable {
    /// A level in force from a day on (the opening level first, then each reassessment).
    public struct LevelChange: Sendable, Hashable {
        public let level: SupervisionLevel
        public let effectiveOn: CalendarDate

        public init(level: SupervisionLevel, effectiveOn: CalendarDate) {
            self.level = level
            self.effectiveOn = effectiveOn
        }
    }

    /// A contact as the engine sees it: its day and what it counts as.
    public struct CountedContact: Sendable, Hashable {
        public let id: UUID
        public let day: CalendarDate
        public let counts: Set<ContactType>

        public init(id: UUID, day: CalendarDate, counts: Set<ContactType>) {
            self.id = id
            self.day = day
            self.counts = counts
        }
    }

    /// Due dates falling between `from` and `until` move to `until` (hospital stay, approved leave).
    public struct Deferral: Sendable, Hashable {
        /// nil: every kind of contact.
        public let contactType: ContactType?
        public let from: CalendarDate
        public let until: CalendarDate

        public init(contactType: ContactType?, from: CalendarDate, until: CalendarDate) {
            self.contactType = contactType
            self.from = from
            self.until = until
        }
    }

    public let kind: CaseKind
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    public let levels: [LevelChange]
    public let standards: [ContactStandard]
    public let deferrals: [Deferral]
    public let calendar: WorkingCalendar

    public init(
        kind: CaseKind, startsOn: CalendarDate, endsOn: CalendarDate, levels: [LevelChange], standards: [ContactStandard], deferrals: [Deferral] = [],
        calendar: WorkingCalendar
    ) {
        self.kind = kind
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.levels = levels.sorted { $0.effectiveOn < $1.effectiveOn }
        self.standards = standards.filter { $0.kind == kind }
        self.deferrals = deferrals
        self.calendar = calendar
    }

    /// The level in force on `day`.
    public func level(on day: CalendarDate) -> SupervisionLevel? {
        levels.last { $0.effectiveOn <= day }?.level ?? levels.first?.level
    }

    /// The standard version governing `type` on `day`.
    public func standard(for type: ContactType, on day: CalendarDate) -> ContactStandard? {
        guard let level = level(on: day) else { return nil }
        return standards.filter { $0.level == level && $0.contactType == type && $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// Every obligation that has begun by `today` (and not after the case's end), contacts allocated.
    public func obligations(asOf today: CalendarDate, contacts: [CountedContact]) -> [Obligation] {
        var all: [Obligation] = []
        for type in ContactType.allCases {
            var series = [firstContact(type)].compactMap { $0 }
            allocate(contacts, of: type, to: &series)
            all += series
            var periodic = windows(type, upTo: min(today, endsOn))
            allocate(contacts, of: type, to: &periodic)
            all += periodic
        }
        return all.map { $0.settled(asOf: today) }.sorted { ($0.dueOn, $0.contactType, $0.windowStart) < ($1.dueOn, $1.contactType, $1.windowStart) }
    }

    /// The first contact of a kind after the case opens, by the standard in force on the opening day.
    func firstContact(_ type: ContactType) -> Obligation? {
        guard let standard = standard(for: type, on: startsOn), let span = standard.firstWithin else { return nil }
        let natural = span.deadline(from: startsOn, calendar: calendar)
        return Obligation(
            rule: .first, contactType: type, standardID: standard.id, level: standard.level, windowStart: startsOn, windowEnd: natural,
            dueOn: deferred(natural, type), required: 1, cut: false)
    }

    /// The periodic windows of a kind, restarted wherever the governing standard changes (a level
    /// change or a new version); a window cut short by such a change or by the case's end is
    /// superseded unless it was met.
    func windows(_ type: ContactType, upTo last: CalendarDate) -> [Obligation] {
        guard last >= startsOn else { return [] }
        var boundaries = Set([startsOn])
        for change in levels where change.effectiveOn > startsOn && change.effectiveOn <= last { boundaries.insert(change.effectiveOn) }
        for version in standards where version.contactType == type && version.effectiveFrom > startsOn && version.effectiveFrom <= last {
            boundaries.insert(version.effectiveFrom)
        }
        // segments [from, until) each under one standard; neighbours under the same standard join up
        var segments: [(from: CalendarDate, until: CalendarDate, standard: ContactStandard?)] = []
        let sorted = boundaries.sorted()
        for (index, from) in sorted.enumerated() {
            let until = index + 1 < sorted.count ? sorted[index + 1] : endsOn.adding(days: 1)
            let governing = standard(for: type, on: from)
            if let previous = segments.last, previous.standard == governing {
                segments[segments.count - 1].until = until
            } else {
                segments.append((from, until, governing))
            }
        }
        var result: [Obligation] = []
        for segment in segments {
            guard let standard = segment.standard, let periodic = standard.periodic else { continue }
            var start = segment.from
            while start <= last && start < segment.until {
                let next = periodic.per.nextWindowStart(after: start, calendar: calendar)
                let naturalEnd = next.adding(days: -1)
                let cut = next > segment.until
                let end = cut ? segment.until.adding(days: -1) : naturalEnd
                result.append(
                    Obligation(
                        rule: .periodic, contactType: type, standardID: standard.id, level: standard.level, windowStart: start, windowEnd: end,
                        dueOn: deferred(end, type), required: periodic.count, cut: cut))
                start = next
            }
        }
        return result
    }

    func deferred(_ due: CalendarDate, _ type: ContactType) -> CalendarDate {
        deferrals.filter { ($0.contactType == nil || $0.contactType == type) && $0.from <= due && due <= $0.until }.map(\.until).max() ?? due
    }

    /// Each contact counts once per series, for the earliest obligation it can still meet: one
    /// whose window has begun (so a late contact catches up an overdue one first) — but never for a
    /// window that was cut short after it ended.
    func allocate(_ contacts: [CountedContact], of type: ContactType, to series: inout [Obligation]) {
        let order = series.indices.sorted { (series[$0].dueOn, series[$0].windowStart) < (series[$1].dueOn, series[$1].windowStart) }
        for contact in contacts.filter({ $0.counts.contains(type) && $0.day >= startsOn }).sorted(by: {
            ($0.day, $0.id.uuidString) < ($1.day, $1.id.uuidString)
        }) {
            guard
                let index = order.first(where: { index in
                    let obligation = series[index]
                    return obligation.contacts.count < obligation.required && obligation.windowStart <= contact.day
                        && (!obligation.cut || contact.day <= obligation.windowEnd)
                })
            else { continue }
            series[index].contacts.append(contact.id)
            if series[index].contacts.count == series[index].required { series[index].completedOn = contact.day }
        }
    }
}

/// One required contact (or N of them) with its window and due date.
public struct Obligation: Sendable, Hashable, Codable {
    public enum Rule: String, Sendable, Codable {
        /// the first contact after the case opens
        case first
        /// N per period
        case periodic
    }

    public enum State: String, Sendable, Codable {
        case open, met, late, overdue, superseded
    }

    public let rule: Rule
    public let contactType: ContactType
    public let standardID: Int
    public let level: SupervisionLevel
    public let windowStart: CalendarDate
    public let windowEnd: CalendarDate
    public let dueOn: CalendarDate
    public let required: Int
    /// Cut short by a change of standard or the case's end.
    public let cut: Bool
    public var contacts: [UUID] = []
    public var completedOn: CalendarDate?
    public var state: State = .open

    /// The stable key of an obligation, for marking alerts once.
    public var key: String { "\(rule.rawValue):\(contactType.rawValue):\(windowStart)" }

    func settled(asOf today: CalendarDate) -> Obligation {
        var copy = self
        if let completedOn {
            copy.state = completedOn <= dueOn ? .met : .late
        } else if cut && windowEnd < today {
            copy.state = .superseded
        } else {
            copy.state = today > dueOn ? .overdue : .open
        }
        return copy
    }
}

import GridCore

/// 社区服刑人员 (community correction) or 刑满释放人员 (released from prison).
public enum CaseKind: String, Sendable, Codable, CaseIterable {
    case communityCorrection = "community_correction"
    case postRelease = "post_release"
}

/// The supervision level (严管 / 普管 / 宽管), reassessed on a schedule.
public enum SupervisionLevel: String, Sendable, Codable, CaseIterable {
    case strict, standard, lenient
}

/// What a contact standard asks for.
public enum ContactType: String, Sendable, Codable, CaseIterable, Comparable {
    case faceToFace = "face_to_face"
    case homeVisit = "home_visit"
    case phone

    public static func < (a: ContactType, b: ContactType) -> Bool { a.rawValue < b.rawValue }
}

/// How a span of time is counted.
public enum PeriodUnit: String, Sendable, Codable, CaseIterable {
    case days
    /// Working days of the district's calendar (holidays and make-up days included).
    case workingDays = "working_days"
    /// Calendar months: a periodic requirement's windows are whole months (the first one partial).
    case months
}

/// "14 days", "10 working days", "1 month".
public struct Span: Sendable, Hashable, Codable {
    public let length: Int
    public let unit: PeriodUnit

    public init(length: Int, unit: PeriodUnit) {
        self.length = length
        self.unit = unit
    }

    /// The last day of something due "within" the span of `start`.
    public func deadline(from start: CalendarDate, calendar: WorkingCalendar) -> CalendarDate {
        switch unit {
        case .days: start.adding(days: length)
        case .workingDays: calendar.adding(workingDays: length, to: start)
        case .months: start.adding(months: length)
        }
    }

    /// Where the periodic window that begins on `start` ends and the next begins.
    public func nextWindowStart(after start: CalendarDate, calendar: WorkingCalendar) -> CalendarDate {
        switch unit {
        case .days: start.adding(days: length)
        // the window holds `length` working days, counting `start` itself when it is one
        case .workingDays: calendar.adding(workingDays: length, to: start.adding(days: -1)).adding(days: 1)
        case .months: start.firstOfMonth.adding(months: length)
        }
    }
}

/// One version of the rule for one kind of contact with people of one kind and level: N contacts
/// per period, and/or the first within a span of the case opening. Versions take effect from a date;
/// the newest version in force on a day governs that day.
public struct ContactStandard: Sendable, Hashable, Codable {
    public struct Periodic: Sendable, Hashable, Codable {
        public let count: Int
        public let per: Span

        public init(count: Int, per: Span) {
            self.count = count
            self.per = per
        }
    }

    public let id: Int
    public let kind: CaseKind
    public let level: SupervisionLevel
    public let contactType: ContactType
    public let periodic: Periodic?
    public let firstWithin: Span?
    public let effectiveFrom: CalendarDate

    public init(
        id: Int, kind: CaseKind, level: SupervisionLevel, contactType: ContactType, periodic: Periodic?, firstWithin: Span?, effectiveFrom: CalendarDate
    ) {
        self.id = id
        self.kind = kind
        self.level = level
        self.contactType = contactType
        self.periodic = periodic
        self.firstWithin = firstWithin
        self.effectiveFrom = effectiveFrom
    }
}

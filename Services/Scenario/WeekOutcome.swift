/// What the week leaves behind, as the public APIs show it, in a form two runs can compare:
/// states and counts, no ids or times (a run with a daemon killed mid-week must end the same).
public struct WeekOutcome: Codable, Equatable, Sendable {
    /// finding label (rubbish, duplicate, second) → state
    public var findings: [String: String] = [:]
    public var rating: Int?
    public var hotspotFindings: Int?
    /// the kinds on Thursday's frozen agenda, in order
    public var agenda: [String] = []
    public var actionItem: String?
    /// linked finding → state, as meetingd last heard
    public var linkedFindings: [String] = []
    public var firstHomeVisit: String?
    public var contactsRecorded: Int?
    /// candidate → state
    public var candidates: [String: String] = [:]
    public var readyCommunities: Int?
    public var cycleState: String?
    /// scope → (overdue orders, overdue items, hotspots, on-time rates)
    public var bulletins: [String: [String]] = [:]
    /// "hook topic" of every delivery the receiver accepted, sorted (the archive hook by topic only)
    public var deliveries: [String] = []
    public var archivedTopics: [String] = []
}

/// A webhook the week expects the receiver to have been sent: on `hook`, of `topic`, whose
/// payload names `subject`.
struct ExpectedDelivery: Equatable {
    let hook: String
    let topic: String
    let subject: String
}

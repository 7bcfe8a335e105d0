/// Who a token speaks for (DESIGN.md §4). Raw values are the stable codes carried in tokens.
public enum Role: String, Sendable, Codable, CaseIterable {
    case gridWorker = "grid_worker"
    case communityStaff = "community_staff"
    case streetOfficer = "street_officer"
    case agencyHead = "agency_head"
    case caseworker
    case commandCentre = "command_centre"
    case disciplineInspector = "discipline_inspector"
    case electionOfficer = "election_officer"
    case auditor
    case service
    case admin

    /// The roles that reach personal data or the clue ledger: they sign in with a second factor
    /// (authd asks for a TOTP code; an outside provider's token must say so in `amr`).
    public var needsSecondFactor: Bool { [.caseworker, .disciplineInspector, .auditor, .commandCentre, .admin].contains(self) }
}

import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import Postgres

/// What a transition request may carry besides its action.
public struct TransitionRequest: Sendable, Codable {
    public var action: FindingAction
    public var reason: String?
    /// dispatch: the agency (default: the street's agency of the category's kind).
    public var agencyCode: String?
    /// dispatch: overrides the category's handling deadline.
    public var deadlineWorkingDays: Int?
    /// merge: the finding this one duplicates.
    public var mergeInto: UUID?
    /// verify: the open patrol on which the grid worker checked the result.
    public var patrolId: UUID?
}

extension FindingStore {
    /// Takes one step of the closed loop, if the finding is visible to the principal, the step is
    /// allowed from its state for their role, and the step's own conditions hold.
    /// `first` runs at the start of the transaction (a callback records its webhook id there, so a
    /// refused step leaves the id unused).
    public func perform(
        _ request: TransitionRequest, on id: UUID, by principal: Principal, first: (@Sendable (PostgresConnection) throws -> Void)? = nil
    ) async throws -> Finding {
        let parameters = PostgresParameters([id] + FindingVisibility.parameters(principal))
        let bus = bus
        let now = clock.now()
        let timeZone = timeZone
        return try await pool.transaction { connection in
            try first?(connection)
            guard
                let finding = try connection.query(
                    "SELECT \(Finding.columns) FROM \(Finding.from) WHERE f.id = $1 AND \(FindingVisibility.predicate(first: 2)) FOR UPDATE OF f",
                    parameters.values
                ).first.map(Finding.init(row:))
            else { throw Problem.notFound("no such finding in your scope") }
            do {
                try FindingLifecycle.check(request.action, from: finding.state, role: principal.role, reason: request.reason)
            } catch let refusal as FindingLifecycle.Refusal {
                throw Self.problem(for: refusal)
            }
            let target = request.action.target
            var detail: [String: String] = [:]
            switch request.action {
            case .dispatch:
                let dispatch = try Self.dispatchTerms(request, finding: finding, now: now, timeZone: timeZone, on: connection)
                try connection.execute(
                    """
                    UPDATE patrol.findings SET state = 'dispatched', agency_code = $2, dispatched_at = $3, deadline_at = $4,
                        escalated_at = NULL, resolved_at = NULL, updated_at = $3 WHERE id = $1
                    """, [id, dispatch.agency, now, dispatch.deadline])
                detail = ["agency_code": dispatch.agency, "deadline_at": RFC3339.format(dispatch.deadline)]
                try bus.publish(
                    "finding.dispatched",
                    MeshEvents.FindingDeadline(
                        findingId: id, agencyCode: dispatch.agency, streetCode: finding.streetCode, gridCode: finding.gridCode,
                        category: finding.category, deadlineAt: dispatch.deadline), at: now, on: connection)
            case .verify:
                guard let patrol = request.patrolId,
                    try connection.query(
                        """
                        SELECT 1 FROM patrol.patrols WHERE id = $1 AND worker = $2 AND grid_code = $3 AND ended_at IS NULL AND started_at >= $4
                        """, [patrol, principal.subject, finding.gridCode, finding.resolvedAt ?? finding.updatedAt]
                    ).count == 1
                else {
                    throw Problem.validation([
                        .init(field: "patrol_id", message: "verification happens on an open patrol of yours, started after the finding was resolved")
                    ])
                }
                try connection.execute("UPDATE patrol.findings SET state = 'verified', updated_at = $2 WHERE id = $1", [id, now])
                detail = ["patrol_id": patrol.uuidString.lowercased()]
            case .merge:
                guard let original = request.mergeInto, original != id else {
                    throw Problem.validation([.init(field: "merge_into", message: "name the other finding this one duplicates")])
                }
                let originalParameters = PostgresParameters([original] + FindingVisibility.parameters(principal))
                guard
                    let target = try connection.query(
                        "SELECT f.state FROM patrol.findings f WHERE f.id = $1 AND \(FindingVisibility.predicate(first: 2))", originalParameters.values
                    ).first, !["merged", "rejected"].contains(try target.decode(String.self, at: 0))
                else {
                    throw Problem.validation([.init(field: "merge_into", message: "is not an open finding in your scope")])
                }
                try connection.execute("UPDATE patrol.findings SET state = 'merged', merged_into = $2, updated_at = $3 WHERE id = $1", [id, original, now])
                // followers of the duplicate follow the original from now on
                try connection.execute(
                    "INSERT INTO patrol.followers (finding_id, subject) SELECT $2, subject FROM patrol.followers WHERE finding_id = $1 ON CONFLICT DO NOTHING",
                    [id, original])
                detail = ["merge_into": original.uuidString.lowercased()]
            default:
                try connection.execute(
                    """
                    UPDATE patrol.findings SET state = $2, updated_at = $3,
                        resolved_at = CASE WHEN $2 = 'resolved' THEN $3 WHEN $2 = 'reopened' THEN NULL ELSE resolved_at END,
                        closed_at = CASE WHEN $2 = 'closed' THEN $3 WHEN $2 = 'reopened' THEN NULL ELSE closed_at END,
                        escalated_at = CASE WHEN $2 = 'reopened' THEN NULL ELSE escalated_at END
                    WHERE id = $1
                    """, [id, target.rawValue, now])
                if request.action == .resolve || request.action == .close {
                    try bus.publish(
                        request.action == .resolve ? "finding.resolved" : "finding.closed",
                        MeshEvents.FindingStateChanged(
                            findingId: id, agencyCode: finding.agencyCode, streetCode: finding.streetCode, gridCode: finding.gridCode,
                            category: finding.category, state: target.rawValue), at: now, on: connection)
                }
            }
            try Self.record(
                request.action.rawValue, finding: id, from: finding.state, to: target, by: principal, reason: request.reason,
                detail: try JSONB(encoding: detail), at: now, on: connection)
            return try Self.read(id: id, on: connection)!
        }
    }

    static func dispatchTerms(
        _ request: TransitionRequest, finding: Finding, now: Date, timeZone: TimeZone, on connection: PostgresConnection
    ) throws -> (agency: String, deadline: Date) {
        guard let category = try Catalogue.category(finding.category, on: connection), let kind = category.agencyKind,
            let standardDays = category.deadlineWorkingDays
        else { throw Problem.conflict("not-dispatchable", "this category has no responsible agency") }
        let agency = request.agencyCode ?? "\(finding.streetCode)/\(kind.rawValue)"
        guard try connection.query("SELECT 1 FROM geo.agencies WHERE code = $1", [agency]).count == 1 else {
            throw Problem.validation([.init(field: "agency_code", message: "is not an agency of the district")])
        }
        let days = request.deadlineWorkingDays ?? standardDays
        guard (1...60).contains(days) else {
            throw Problem.validation([.init(field: "deadline_working_days", message: "must be 1 to 60")])
        }
        let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
        return (agency, calendar.deadline(workingDays: days, from: now))
    }

    static func problem(for refusal: FindingLifecycle.Refusal) -> Problem {
        switch refusal {
        case .illegalTransition(let from, let action):
            Problem(
                .conflict, code: "illegal-transition", title: "Not allowed in this state",
                detail:
                    "\(action.rawValue) is not allowed on a finding that is \(from.rawValue); it is allowed from: \(action.sources.map(\.rawValue).sorted().joined(separator: ", "))"
            )
        case .roleNotAllowed(let role, let action):
            Problem.forbidden("a \(role.rawValue) cannot \(action.rawValue) a finding")
        case .reasonRequired(let action):
            Problem.validation([.init(field: "reason", message: "is required to \(action.rawValue)")])
        }
    }
}

import Foundation
import GridCore

/// Where a finding stands in the closed loop.
public enum FindingState: String, Sendable, Codable, CaseIterable {
    case submitted, triaged, dispatched
    case inProgress = "in_progress"
    case resolved, verified, closed, rejected, merged, reopened

    /// Finished: nothing more happens unless it is reopened.
    public var isTerminal: Bool { self == .closed || self == .rejected || self == .merged }

    /// With an agency, the clock running on its deadline.
    public var isWithAgency: Bool { self == .dispatched || self == .inProgress }

    public var nameZh: String {
        switch self {
        case .submitted: "已上报"
        case .triaged: "已分拣"
        case .dispatched: "已派遣"
        case .inProgress: "处置中"
        case .resolved: "已处置"
        case .verified: "已核查"
        case .closed: "已结案"
        case .rejected: "不予受理"
        case .merged: "已串并"
        case .reopened: "已重启"
        }
    }
}

/// What someone does to a finding. Each action is allowed from some states, to some roles.
public enum FindingAction: String, Sendable, Codable, CaseIterable {
    case triage, dispatch, start, resolve, verify, close, reject, merge, reopen

    /// The state the action leads to.
    public var target: FindingState {
        switch self {
        case .triage: .triaged
        case .dispatch: .dispatched
        case .start: .inProgress
        case .resolve: .resolved
        case .verify: .verified
        case .close: .closed
        case .reject: .rejected
        case .merge: .merged
        case .reopen: .reopened
        }
    }

    /// The states the action may start from.
    public var sources: Set<FindingState> {
        switch self {
        case .triage: [.submitted]
        case .dispatch: [.submitted, .triaged, .reopened]
        case .start: [.dispatched, .reopened]
        case .resolve: [.dispatched, .inProgress]
        case .verify: [.resolved]
        case .close: [.verified]
        case .reject: [.submitted, .triaged]
        case .merge: [.submitted, .triaged, .dispatched]
        case .reopen: [.resolved, .verified, .closed]
        }
    }

    /// Who may take the action (their scope or agency is checked against the finding as well).
    public var roles: Set<Role> {
        switch self {
        case .triage, .reject: [.streetOfficer, .communityStaff, .commandCentre]
        case .dispatch: [.streetOfficer, .commandCentre, .service]
        case .start, .resolve: [.agencyHead, .service]
        case .verify: [.gridWorker]
        case .close: [.streetOfficer, .communityStaff, .commandCentre]
        case .merge: [.streetOfficer, .commandCentre]
        case .reopen: [.gridWorker, .streetOfficer, .commandCentre]
        }
    }

    /// Actions whose reason may not be left out.
    public var needsReason: Bool { self == .reject || self == .reopen || self == .resolve }
}

/// The closed loop's rules as a value: which transitions exist, checked before any SQL runs.
public enum FindingLifecycle {
    public enum Refusal: Error, Equatable, Sendable {
        case illegalTransition(from: FindingState, action: FindingAction)
        case roleNotAllowed(Role, FindingAction)
        case reasonRequired(FindingAction)
    }

    public static func check(_ action: FindingAction, from state: FindingState, role: Role, reason: String?) throws(Refusal) {
        guard action.roles.contains(role) else { throw .roleNotAllowed(role, action) }
        guard action.sources.contains(state) else { throw .illegalTransition(from: state, action: action) }
        if action.needsReason && (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .reasonRequired(action) }
    }

    /// Every (from, to) pair the loop allows, for documentation and tests.
    public static var edges: [(FindingState, FindingState)] {
        FindingAction.allCases.flatMap { action in action.sources.sorted { $0.rawValue < $1.rawValue }.map { ($0, action.target) } }
    }
}

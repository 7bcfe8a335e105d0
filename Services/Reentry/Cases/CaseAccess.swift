import Daemon
import GridCore

/// Caseload scope (DESIGN.md §4): a case is open to its assigned pair and their supervisor, and
/// to district discipline inspectors for review (read only). The command centre sees aggregates
/// only. The check is part of every query, through `predicate`.
struct CaseAccess: Sendable {
    enum Reach: String {
        /// the pair or the supervisor of the case
        case caseload
        /// district discipline inspectors: every case, read only
        case review
    }

    let subject: String
    let reach: Reach

    /// Who may read case records at all.
    init(reading principal: Principal) throws {
        switch principal.role {
        case .caseworker:
            reach = .caseload
        case .disciplineInspector where principal.scope.level == .district:
            reach = .review
        case .commandCentre:
            throw Problem.forbidden("the command centre sees caseload aggregates only (GET /v1/caseload/summary)")
        default:
            throw Problem.forbidden("supervision cases are open to their caseworkers, supervisors and discipline inspectors")
        }
        subject = principal.subject
    }

    /// Who may change a case: caseworkers of its caseload, never reviewers.
    init(changing principal: Principal) throws {
        guard principal.role == .caseworker else { throw Problem.forbidden("only the case's caseworkers and their supervisor change it") }
        subject = principal.subject
        reach = .caseload
    }

    /// True when the case aliased `alias` is within reach; `$reach` and `$subject` are parameters.
    static func predicate(alias: String, reach: Int, subject: Int) -> String {
        """
        ($\(reach) = 'review' OR \(alias).community_worker = $\(subject) OR \(alias).police_officer = $\(subject) OR \(alias).supervisor = $\(subject))
        """
    }

    /// Only the supervisor: reallocation, legal hold, reassessment.
    static func supervisorPredicate(alias: String, subject: Int) -> String { "\(alias).supervisor = $\(subject)" }
}

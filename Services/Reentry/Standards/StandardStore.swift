import Audit
import Daemon
import Foundation
import GridCore
import Postgres

/// The contact standards: read by staff, extended by administrators with new versions that take
/// effect from a future day (a standard already in force is never rewritten, so past duties stay
/// what they were).
public struct StandardStore: Sendable {
    let pool: PostgresPool
    let clock: any WallClock
    let timeZone: TimeZone
    let chain: String

    public init(pool: PostgresPool, clock: any WallClock, timeZone: TimeZone, chain: String) {
        self.pool = pool
        self.clock = clock
        self.timeZone = timeZone
        self.chain = chain
    }

    public func all(for principal: Principal) async throws -> [ContactStandard] {
        guard [.caseworker, .disciplineInspector, .commandCentre, .admin, .auditor].contains(principal.role) else {
            throw Problem.forbidden("contact standards are for reentry staff, inspectors and administrators")
        }
        return try await pool.withConnection { try CaseFacts.standards(on: $0) }
    }

    func add(_ new: SupervisionRoutes.NewStandard, by principal: Principal) async throws -> ContactStandard {
        guard principal.role == .admin else { throw Problem.forbidden("administrators set contact standards") }
        var errors: [Problem.FieldError] = []
        let periodic = [new.requiredCount == nil, new.periodLength == nil, new.periodUnit == nil]
        if Set(periodic).count != 1 { errors.append(.init(field: "required_count", message: "required_count, period_length and period_unit go together")) }
        if (new.firstWithin == nil) != (new.firstUnit == nil) {
            errors.append(.init(field: "first_within", message: "first_within and first_unit go together"))
        }
        if new.requiredCount == nil && new.firstWithin == nil { errors.append(.init(field: "required_count", message: "a standard requires something")) }
        if let count = new.requiredCount, !(1...31).contains(count) { errors.append(.init(field: "required_count", message: "must be 1 to 31")) }
        if let length = new.periodLength, !(1...366).contains(length) { errors.append(.init(field: "period_length", message: "must be 1 to 366")) }
        if let within = new.firstWithin, !(1...366).contains(within) { errors.append(.init(field: "first_within", message: "must be 1 to 366")) }
        let now = clock.now()
        if new.effectiveFrom <= WorkingCalendar(timeZone: timeZone).day(of: now) {
            errors.append(.init(field: "effective_from", message: "must be a future day: standards in force are not rewritten"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        return try await pool.transaction { [chain] connection in
            guard
                let id = try connection.query(
                    """
                    INSERT INTO reentry.contact_standards
                        (kind, level, contact_type, required_count, period_length, period_unit, first_within, first_unit, effective_from, created_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (kind, level, contact_type, effective_from) DO NOTHING RETURNING id
                    """,
                    [
                        new.kind.rawValue, new.level.rawValue, new.contactType.rawValue, new.requiredCount, new.periodLength, new.periodUnit?.rawValue,
                        new.firstWithin, new.firstUnit?.rawValue, new.effectiveFrom, principal.subject,
                    ]
                ).first?.decode(Int.self, at: 0)
            else { throw Problem.conflict("version-exists", "a version of this standard already starts on \(new.effectiveFrom)") }
            try AuditLog.append(chain: chain, actor: principal, action: "standard.add", target: "contact_standard:\(id)", at: now, on: connection)
            return try CaseFacts.standards(on: connection).first { $0.id == id }!
        }
    }
}

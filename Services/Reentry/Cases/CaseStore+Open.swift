import Audit
import Daemon
import Foundation
import Geography
import GridCore
import PersonalData
import Postgres

/// What a supervisor enters to open a case.
public struct NewCase: Sendable, Decodable {
    public struct NewSupportItem: Sendable, Decodable {
        let area: String
        let details: String
        let dueOn: CalendarDate?
    }

    let id: UUID
    let kind: CaseKind
    let level: SupervisionLevel
    let startsOn: CalendarDate
    let endsOn: CalendarDate
    let residenceGrid: String
    let communityWorker: String
    let policeOfficer: String
    let supervisor: String?
    let person: PersonRecord
    let supportPlan: [NewSupportItem]?

    /// Field checks that need no database; none of them echo the value.
    func validate() throws -> NationalID {
        var errors: [Problem.FieldError] = []
        let id = NationalID(person.nationalId)
        if id == nil { errors.append(.init(field: "person.national_id", message: "is not a valid 18-character resident ID number")) }
        if person.name.trimmingCharacters(in: .whitespaces).isEmpty || person.name.length > 100 {
            errors.append(.init(field: "person.name", message: "must be 1 to 100 characters"))
        }
        for (field, value, limit) in [
            ("person.address", person.address, 200), ("person.phone", person.phone, 30), ("person.gender", person.gender, 10),
            ("person.emergency_contact", person.emergencyContact, 200),
        ] where (value?.length ?? 0) > limit {
            errors.append(.init(field: field, message: "at most \(limit) characters"))
        }
        if endsOn < startsOn { errors.append(.init(field: "ends_on", message: "must not be before starts_on")) }
        if endsOn > startsOn.adding(months: 12 * 20) { errors.append(.init(field: "ends_on", message: "must be within 20 years of starts_on")) }
        if communityWorker == policeOfficer { errors.append(.init(field: "police_officer", message: "the pair must be two different people")) }
        for (index, item) in (supportPlan ?? []).enumerated() {
            if !SupportItem.areas.contains(item.area) {
                errors.append(.init(field: "support_plan[\(index)].area", message: "must be one of \(SupportItem.areas.joined(separator: ", "))"))
            }
            if item.details.isEmpty || item.details.length > 2000 {
                errors.append(.init(field: "support_plan[\(index)].details", message: "must be 1 to 2000 characters"))
            }
        }
        if (supportPlan?.count ?? 0) > 20 { errors.append(.init(field: "support_plan", message: "at most 20 items")) }
        guard errors.isEmpty, let id else { throw Problem.validation(errors) }
        return id
    }
}

extension CaseStore {
    /// Opens a case (idempotent by id for its opener): a supervisor of the street where the person
    /// lives assigns a community worker and a police officer of that community.
    public func open(_ new: NewCase, by principal: Principal, requestID: String?) async throws -> (SupervisionCase, created: Bool) {
        let nationalID = try new.validate()
        guard principal.role == .caseworker, principal.scope.level == .street else {
            throw Problem.forbidden("cases are opened by a supervising caseworker of the street")
        }
        let now = clock.now()
        let lookup = nationalID.lookupHash(using: keys)
        do {
            return try await open(new, nationalID: nationalID, lookup: lookup, by: principal, now: now, requestID: requestID)
        } catch let refused as OpenCaseExists {
            // asking tells whether a person is under supervision: the refusal is recorded on that
            // case's trail, for the discipline inspectors to see who asked
            let chain = chain
            try await pool.transaction {
                try AuditLog.append(
                    chain: chain, actor: principal, action: "case.open.refused", target: "case:\(refused.caseRef)", reason: "an open case exists",
                    requestID: requestID, at: now, on: $0)
            }
            throw Problem.conflict("open-case-exists", "this person already has an open case")
        }
    }

    /// A case for this ID number is open already (its ref, for the audit entry).
    struct OpenCaseExists: Error {
        let caseRef: String
    }

    private func open(
        _ new: NewCase, nationalID: NationalID, lookup: Data, by principal: Principal, now: Date, requestID: String?
    ) async throws -> (SupervisionCase, created: Bool) {
        try await pool.transaction { connection in
            if let existing = try connection.query(
                "SELECT \(SupervisionCase.columns) FROM reentry.cases c WHERE c.id = $1", [new.id]
            ).first.map(SupervisionCase.init(row:)) {
                guard try connection.query("SELECT 1 FROM reentry.cases WHERE id = $1 AND opened_by = $2", [new.id, principal.subject]).count == 1 else {
                    throw Problem.conflict("id-taken", "this id belongs to another case")
                }
                return (existing, false)
            }
            guard let place = try GridPlace.lookup(grid: new.residenceGrid, on: connection) else {
                throw Problem.validation([.init(field: "residence_grid", message: "is not a grid of the district")])
            }
            guard principal.scope.code == place.streetCode else { throw Problem.forbidden("the residence grid is outside your street") }
            let supervisor = new.supervisor ?? principal.subject
            var errors: [Problem.FieldError] = []
            for (field, subject, street) in [
                ("community_worker", new.communityWorker, false), ("police_officer", new.policeOfficer, false), ("supervisor", supervisor, true),
            ] where try !Self.isCaseworker(subject, of: place, streetLevel: street, on: connection) {
                errors.append(
                    .init(field: field, message: street ? "is not a supervising caseworker of the street" : "is not a caseworker of the community or street"))
            }
            if !errors.isEmpty { throw Problem.validation(errors) }
            if let open = try connection.query(
                """
                SELECT c.case_ref FROM reentry.persons p JOIN reentry.cases c ON c.id = p.case_id WHERE p.id_number_hmac = $1 AND c.state = 'open'
                """, [lookup]
            ).first {
                throw OpenCaseExists(caseRef: try open.decode(at: 0))
            }

            let caseRef = CaseRef.make()
            let reassessBy = new.startsOn.adding(months: policy.reassessmentMonths)
            try connection.execute(
                """
                INSERT INTO reentry.cases (id, case_ref, kind, level, starts_on, ends_on, residence_grid, community_code, street_code,
                                           community_worker, police_officer, supervisor, reassess_by, opened_by, opened_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                """,
                [
                    new.id, caseRef, new.kind.rawValue, new.level.rawValue, new.startsOn, new.endsOn, place.gridCode, place.communityCode, place.streetCode,
                    new.communityWorker, new.policeOfficer, supervisor, reassessBy, principal.subject, now,
                ])
            var person = new.person
            person.nationalId = nationalID.value
            try connection.execute(
                "INSERT INTO reentry.persons (case_id, id_number_hmac, sealed, key_id) VALUES ($1, $2, $3, $4)",
                [new.id, lookup, try sealer.seal(person, boundTo: new.id), sealer.keyID])
            try connection.execute(
                """
                INSERT INTO reentry.assignments (case_id, from_at, community_worker, police_officer, supervisor, reason, assigned_by)
                VALUES ($1, $2, $3, $4, $5, 'case opened', $6)
                """, [new.id, now, new.communityWorker, new.policeOfficer, supervisor, principal.subject])
            try connection.execute(
                "INSERT INTO reentry.levels (case_id, effective_on, level, reason, decided_by, decided_at) VALUES ($1, $2, $3, 'case opened', $4, $5)",
                [new.id, new.startsOn, new.level.rawValue, principal.subject, now])
            for item in new.supportPlan ?? [] {
                let itemID = UUID.v7(at: now)
                try connection.execute(
                    """
                    INSERT INTO reentry.support_items (id, case_id, area, due_on, sealed, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """, [itemID, new.id, item.area, item.dueOn, try sealer.seal(item.details, boundTo: itemID), principal.subject, now])
            }
            let opened = try connection.query("SELECT \(SupervisionCase.columns) FROM reentry.cases c WHERE c.id = $1", [new.id]).first.map(
                SupervisionCase.init(row:))!
            try bus.publish(
                "case.opened",
                ReentryEvents.CaseOpened(
                    caseId: caseRef, kind: new.kind.rawValue, level: new.level.rawValue, communityCode: place.communityCode, streetCode: place.streetCode),
                at: now, on: connection)
            try audit(principal, "case.open", opened, requestID: requestID, on: connection)
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            try contactSupervision(calendar).supervise(new.id, today: calendar.day(of: now), now: now, on: connection)
            try CommunityCounts.publishChanges(bus: bus, now: now, on: connection)
            return (opened, true)
        }
    }

    static func isCaseworker(_ subject: String, of place: GridPlace, streetLevel: Bool, on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            """
            SELECT 1 FROM geo.accounts WHERE subject = $1 AND role = 'caseworker'
              AND (scope = 'street:' || $3 OR (NOT $4 AND scope = 'community:' || $2))
            """, [subject, place.communityCode, place.streetCode, streetLevel]
        ).count == 1
    }

    func contactSupervision(_ calendar: WorkingCalendar) -> ContactSupervision {
        ContactSupervision(bus: bus, policy: policy, calendar: calendar)
    }
}

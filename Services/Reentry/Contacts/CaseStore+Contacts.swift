import Daemon
import Foundation
import Geography
import GridCore
import Postgres

extension CaseStore {
    /// Logs a contact (idempotent by id for its recorder) and re-supervises the case at once, so
    /// an overdue obligation it meets clears now, not at the next sweep.
    public func record(_ contact: NewContact, in caseID: UUID, by principal: Principal, requestID: String?) async throws -> (Contact, created: Bool) {
        var errors: [Problem.FieldError] = []
        if ContactType(rawValue: contact.contactType) == nil {
            errors.append(.init(field: "contact_type", message: "must be one of \(ContactType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        for (field, value, allowed) in [
            ("method", contact.method, ContactCounting.methods), ("location", contact.location, ContactCounting.locations),
            ("outcome", contact.outcome, ContactCounting.outcomes),
        ] where !allowed.contains(value) {
            errors.append(.init(field: field, message: "must be one of \(allowed.joined(separator: ", "))"))
        }
        if (contact.notes?.count ?? 0) > 4000 { errors.append(.init(field: "notes", message: "at most 4000 characters")) }
        let now = clock.now()
        if contact.occurredAt > now.addingTimeInterval(300) { errors.append(.init(field: "occurred_at", message: "must not be in the future")) }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let access = try CaseAccess(changing: principal)
        return try await pool.transaction { connection in
            let supervisionCase = try fetch(caseID, access: access, forUpdate: true, on: connection)
            let calendar = try CalendarSchema.load(on: connection, timeZone: timeZone)
            guard supervisionCase.state == "open" else { throw Problem.conflict("case-closed", "contacts are logged on open cases only") }
            guard calendar.day(of: contact.occurredAt) >= supervisionCase.startsOn else {
                throw Problem.validation([.init(field: "occurred_at", message: "must not be before the case starts")])
            }
            let inserted = try connection.execute(
                """
                INSERT INTO reentry.contacts (id, case_id, contact_type, method, location, outcome, occurred_at, sealed_notes, recorded_by, recorded_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING
                """,
                [
                    contact.id, caseID, contact.contactType, contact.method, contact.location, contact.outcome, contact.occurredAt,
                    try contact.notes.map { try sealer.seal($0, boundTo: contact.id) }, principal.subject, now,
                ])
            guard
                let stored = try connection.query(
                    "SELECT \(Contact.columns) FROM reentry.contacts WHERE id = $1 AND case_id = $2 AND recorded_by = $3",
                    [contact.id, caseID, principal.subject]
                ).first.map({ try Contact(row: $0, open: opener) })
            else { throw Problem.conflict("id-taken", "this id belongs to another contact") }
            if inserted == 1 {
                try audit(principal, "contact.record", supervisionCase, requestID: requestID, on: connection)
                try contactSupervision(calendar).supervise(caseID, today: calendar.day(of: now), now: now, on: connection)
                try CommunityCounts.publishChanges(bus: bus, now: now, on: connection)
            }
            return (stored, inserted == 1)
        }
    }

    /// The contacts log of a case, notes opened; the read is audited.
    public func contacts(of caseID: UUID, for principal: Principal, requestID: String?) async throws -> [Contact] {
        let access = try CaseAccess(reading: principal)
        return try await pool.transaction { connection in
            let supervisionCase = try fetch(caseID, access: access, on: connection)
            try audit(principal, "contacts.read", supervisionCase, requestID: requestID, on: connection)
            return try connection.query("SELECT \(Contact.columns) FROM reentry.contacts WHERE case_id = $1 ORDER BY occurred_at, id", [caseID]).map {
                try Contact(row: $0, open: opener)
            }
        }
    }

    var opener: (Data, UUID) throws -> String {
        { [sealer] sealed, row in try sealer.open(String.self, from: sealed, boundTo: row) }
    }
}

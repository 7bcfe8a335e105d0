import Foundation
import GridCore
import Postgres

/// Loads what the contact engine needs about one case: its levels over time, the standards of its
/// kind (every version), its deferrals and its contacts.
enum CaseFacts {
    /// `backdated: false` leaves out the deferrals that started on a past day, to show what they excused.
    static func engine(for caseID: UUID, calendar: WorkingCalendar, backdated: Bool = true, on connection: PostgresConnection) throws -> (
        ContactEngine, [ContactEngine.CountedContact]
    )? {
        guard let row = try connection.query("SELECT kind, starts_on, ends_on FROM reentry.cases WHERE id = $1", [caseID]).first else { return nil }
        let kind = CaseKind(rawValue: try row.decode(at: 0))!
        let levels = try connection.query("SELECT level, effective_on FROM reentry.levels WHERE case_id = $1 ORDER BY effective_on", [caseID]).map {
            ContactEngine.LevelChange(level: SupervisionLevel(rawValue: try $0.decode(at: 0))!, effectiveOn: try $0.decode(at: 1))
        }
        let deferrals = try connection.query(
            "SELECT contact_type, from_on, until_on FROM reentry.deferrals WHERE case_id = $1 AND ($2 OR NOT backdated)", [caseID, backdated]
        ).map {
            ContactEngine.Deferral(
                contactType: try $0.decode(String?.self, at: 0).flatMap(ContactType.init(rawValue:)), from: try $0.decode(at: 1), until: try $0.decode(at: 2))
        }
        let contacts = try connection.query("SELECT id, occurred_at, method, location, outcome FROM reentry.contacts WHERE case_id = $1", [caseID]).map {
            ContactEngine.CountedContact(
                id: try $0.decode(at: 0), day: calendar.day(of: try $0.decode(at: 1)),
                counts: ContactCounting.counts(method: try $0.decode(at: 2), location: try $0.decode(at: 3), outcome: try $0.decode(at: 4)))
        }
        let engine = ContactEngine(
            kind: kind, startsOn: try row.decode(at: 1), endsOn: try row.decode(at: 2), levels: levels, standards: try standards(kind: kind, on: connection),
            deferrals: deferrals, calendar: calendar)
        return (engine, contacts)
    }

    static func standards(kind: CaseKind? = nil, on connection: PostgresConnection) throws -> [ContactStandard] {
        try connection.query(
            """
            SELECT id, kind, level, contact_type, required_count, period_length, period_unit, first_within, first_unit, effective_from
            FROM reentry.contact_standards WHERE $1::text IS NULL OR kind = $1 ORDER BY kind, level, contact_type, effective_from
            """, [kind?.rawValue]
        ).map { row in
            let count = try row.decode(Int?.self, at: 4)
            let periodic = try count.map {
                ContactStandard.Periodic(count: $0, per: Span(length: try row.decode(at: 5), unit: PeriodUnit(rawValue: try row.decode(at: 6))!))
            }
            let first = try row.decode(Int?.self, at: 7).map { Span(length: $0, unit: PeriodUnit(rawValue: try row.decode(at: 8))!) }
            return ContactStandard(
                id: try row.decode(at: 0), kind: CaseKind(rawValue: try row.decode(at: 1))!, level: SupervisionLevel(rawValue: try row.decode(at: 2))!,
                contactType: ContactType(rawValue: try row.decode(at: 3))!, periodic: periodic, firstWithin: first, effectiveFrom: try row.decode(at: 9))
        }
    }
}

import Foundation
import Postgres

/// One entry of a case's contacts log. `countsAs` is what the contact satisfies under
/// `ContactCounting`; notes are sealed at rest.
public struct Contact: Sendable, Codable, Equatable {
    public let id: UUID
    public let contactType: String
    public let method: String
    public let location: String
    public let outcome: String
    public let occurredAt: Date
    public let notes: String?
    public let recordedBy: String
    public let recordedAt: Date
    public let visitRequestId: UUID?
    public let countsAs: [String]

    static let columns = "id, contact_type, method, location, outcome, occurred_at, sealed_notes, recorded_by, recorded_at, visit_request_id"

    init(row: PostgresRow, open: (Data, UUID) throws -> String) throws {
        self.id = try row.decode(at: 0)
        contactType = try row.decode(at: 1)
        method = try row.decode(at: 2)
        location = try row.decode(at: 3)
        outcome = try row.decode(at: 4)
        occurredAt = try row.decode(at: 5)
        let id: UUID = try row.decode(at: 0)
        notes = try row.decode(Data?.self, at: 6).map { try open($0, id) }
        recordedBy = try row.decode(at: 7)
        recordedAt = try row.decode(at: 8)
        visitRequestId = try row.decode(UUID?.self, at: 9)
        countsAs = ContactCounting.counts(method: method, location: location, outcome: outcome).sorted().map(\.rawValue)
    }
}

/// What a caseworker logs.
public struct NewContact: Sendable, Decodable {
    let id: UUID
    let contactType: String
    let method: String
    let location: String
    let outcome: String
    let occurredAt: Date
    let notes: String?
}

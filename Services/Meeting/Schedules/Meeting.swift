import Foundation
import Postgres

/// One coordination meeting of a street's committee.
public struct Meeting: Sendable, Codable, Equatable {
    public let id: UUID
    public let streetCode: String
    public let seriesId: UUID?
    public let title: String
    public let startsAt: Date
    public let endsAt: Date
    public let location: String?
    public let state: String
    public let note: String?
    public let sequence: Int
    public let updatedAt: Date

    static let columns = "id, street_code, series_id, title, starts_at, ends_at, location, state, note, sequence, updated_at"

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        streetCode = try row.decode(at: 1)
        seriesId = try row.decode(UUID?.self, at: 2)
        title = try row.decode(at: 3)
        startsAt = try row.decode(at: 4)
        endsAt = try row.decode(at: 5)
        location = try row.decode(String?.self, at: 6)
        state = try row.decode(at: 7)
        note = try row.decode(String?.self, at: 8)
        sequence = try row.decode(at: 9)
        updatedAt = try row.decode(at: 10)
    }
}

/// A committee member: the head of one agency, for a span of days.
public struct Member: Sendable, Codable, Equatable {
    public let agencyCode: String
    public let subject: String
    public let displayName: String
    public let since: String
    public let until: String?
}

/// A street's committee as the console shows it: the quorum and the street's five agencies, each
/// with its name and its head today (nil when none is appointed).
public struct Committee: Sendable, Codable {
    public struct Seat: Sendable, Codable {
        public let agencyCode: String
        public let kind: String
        public let name: String
        public let head: Member?
    }

    public let streetCode: String
    public let streetName: String
    public let quorum: Int
    public let agencies: [Seat]
}

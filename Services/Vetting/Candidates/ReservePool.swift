import Audit
import Daemon
import Foundation
import GridCore
import Postgres

/// 储备: screened candidates held for vacancies, in order; when a seat opens the first one still
/// held is promoted to it.
public struct ReserveEntry: Sendable, Codable, Equatable {
    let candidateId: UUID
    let rank: Int
    let seat: String
    let addedBy: String
    let addedAt: Date
    let promotedTo: String?
    let promotedAt: Date?
}

extension CandidateStore {
    public func reserve(in cycleID: UUID, for principal: Principal) async throws -> [ReserveEntry] {
        let access = try ElectionAccess(reading: principal)
        return try await pool.withConnection { connection in
            _ = try cycle(cycleID, access: access, on: connection)
            return try Self.reserve(cycleID, on: connection)
        }
    }

    static func reserve(_ cycleID: UUID, on connection: PostgresConnection) throws -> [ReserveEntry] {
        try connection.query(
            """
            SELECT r.candidate_id, r.rank, k.seat, r.added_by, r.added_at, r.promoted_to, r.promoted_at
            FROM vetting.reserve r JOIN vetting.candidates k ON k.id = r.candidate_id WHERE r.cycle_id = $1 ORDER BY r.rank
            """, [cycleID]
        ).map {
            ReserveEntry(
                candidateId: try $0.decode(at: 0), rank: try $0.decode(at: 1), seat: try $0.decode(at: 2), addedBy: try $0.decode(at: 3),
                addedAt: try $0.decode(at: 4), promotedTo: try $0.decode(String?.self, at: 5), promotedAt: try $0.decode(Date?.self, at: 6))
        }
    }

    /// Holds a screened, cleared candidate in the reserve, last in line.
    public func addToReserve(_ candidateID: UUID, in cycleID: UUID, by principal: Principal) async throws -> [ReserveEntry] {
        let access = try ElectionAccess(changing: principal)
        let now = clock.now()
        return try await pool.transaction { connection in
            let (candidate, _) = try candidate(candidateID, access: access, forUpdate: true, on: connection)
            guard candidate.cycleId == cycleID else {
                throw Problem.validation([.init(field: "candidate_id", message: "is not a candidate of this cycle")])
            }
            guard ["clear", "cleared"].contains(candidate.state) else {
                throw Problem.conflict("not-cleared", "only a candidate screened clear (or cleared on review) joins the reserve")
            }
            try connection.execute(
                """
                INSERT INTO vetting.reserve (candidate_id, cycle_id, rank, added_by, added_at)
                SELECT $1, $2, coalesce(max(rank), 0) + 1, $3, $4 FROM vetting.reserve WHERE cycle_id = $2
                ON CONFLICT (candidate_id) DO NOTHING
                """, [candidateID, candidate.cycleId, principal.subject, now])
            try audit(principal, "reserve.add", candidate: candidateID, requestID: nil, on: connection)
            return try Self.reserve(candidate.cycleId, on: connection)
        }
    }

    /// A seat opened: the first candidate still held is promoted to it.
    public func promote(in cycleID: UUID, seat: String, by principal: Principal) async throws -> ReserveEntry {
        let access = try ElectionAccess(changing: principal)
        guard Self.seats.contains(seat) else {
            throw Problem.validation([.init(field: "seat", message: "must be one of \(Self.seats.joined(separator: ", "))")])
        }
        let now = clock.now()
        return try await pool.transaction { connection in
            _ = try cycle(cycleID, access: access, on: connection)
            guard
                let id = try connection.query(
                    """
                    UPDATE vetting.reserve SET promoted_to = $2, promoted_by = $3, promoted_at = $4
                    WHERE candidate_id = (SELECT candidate_id FROM vetting.reserve WHERE cycle_id = $1 AND promoted_at IS NULL ORDER BY rank LIMIT 1 FOR UPDATE)
                    RETURNING candidate_id
                    """, [cycleID, seat, principal.subject, now]
                ).first?.decode(UUID.self, at: 0)
            else { throw Problem.conflict("reserve-empty", "no one is held in the reserve") }
            try audit(principal, "reserve.promote", candidate: id, reason: seat, requestID: nil, on: connection)
            return try Self.reserve(cycleID, on: connection).first { $0.candidateId == id }!
        }
    }
}

import Foundation
import GridCore
import Postgres

/// Possible duplicates of a finding (串并 candidates): the same category, nearby, close in time,
/// still open and visible to the one asking. A person confirms a merge; nothing merges on its own.
public struct MergeCandidate: Sendable, Codable {
    public let finding: Finding
    public let distanceMetres: Double?
    public let hoursApart: Double
}

extension FindingStore {
    public func mergeCandidates(of id: UUID, for principal: Principal, radiusMetres: Double = 100, window: Duration = .seconds(7 * 86400)) async throws
        -> [MergeCandidate]?
    {
        let parameters = PostgresParameters([id] + FindingVisibility.parameters(principal) + [radiusMetres, Int(window.components.seconds)])
        return try await pool.withConnection { connection in
            guard
                try connection.query("SELECT 1 FROM patrol.findings f WHERE f.id = $1 AND \(FindingVisibility.predicate(first: 2))", parameters.values).count
                    == 1
            else {
                return nil
            }
            return try connection.query(
                """
                SELECT \(Finding.columns), ST_Distance(geography(f.location), geography(me.location)),
                       abs(extract(epoch FROM f.observed_at - me.observed_at)) / 3600
                FROM \(Finding.from), patrol.findings me
                WHERE me.id = $1 AND f.id <> me.id AND f.category = me.category
                  AND f.state IN ('submitted', 'triaged', 'dispatched', 'in_progress')
                  AND abs(extract(epoch FROM f.observed_at - me.observed_at)) <= $6
                  AND (me.location IS NULL OR f.location IS NULL OR ST_DWithin(geography(f.location), geography(me.location), $5))
                  AND (me.location IS NOT NULL OR f.grid_code = me.grid_code)
                  AND \(FindingVisibility.predicate(first: 2))
                ORDER BY 27 NULLS LAST, 28
                LIMIT 20
                """, parameters.values
            ).map { row in
                MergeCandidate(finding: try Finding(row: row), distanceMetres: try row.decode(Double?.self, at: 26), hoursApart: try row.decode(at: 27))
            }
        }
    }
}

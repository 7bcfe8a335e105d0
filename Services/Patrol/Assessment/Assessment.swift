import Daemon
import Foundation
import GridCore
import Postgres

/// Assessment (考核): how the loop went per grid, community, street or agency over a period.
public struct AssessmentRow: Sendable, Codable, Equatable {
    public let code: String
    public let name: String
    public let findings: Int
    public let dispatched: Int
    public let resolved: Int
    public let closed: Int
    /// Resolved on or before the deadline, of those resolved with a deadline.
    public let onTime: Int
    public let onTimeRate: Double?
    public let meanHandlingHours: Double?
    public let reopened: Int
    public let reopenRate: Double?
    public let satisfaction: Double?
    public let ratings: Int
    /// Supervision (督办) marks: findings escalated past their deadline.
    public let overdueMarks: Int
}

public enum AssessmentGrouping: String, Sendable, CaseIterable {
    case grid, community, street, agency
}

extension FindingStore {
    public func assessment(by grouping: AssessmentGrouping, from: Date, to: Date, english: Bool, for principal: Principal) async throws -> [AssessmentRow] {
        let parameters = PostgresParameters(FindingVisibility.parameters(principal, .counts) + [from, to, grouping.rawValue, english])
        return try await pool.withConnection { connection in
            try connection.query(
                """
                WITH f AS (
                    SELECT f.*, g.community_code, c.street_code,
                           EXISTS (SELECT 1 FROM patrol.transitions t WHERE t.finding_id = f.id AND t.action = 'reopen') AS reopened,
                           EXISTS (SELECT 1 FROM patrol.assessment_marks m WHERE m.finding_id = f.id) AS marked
                    FROM \(Finding.from)
                    WHERE \(FindingVisibility.predicate(first: 1)) AND f.submitted_at >= $4 AND f.submitted_at < $5
                ), grouped AS (
                    SELECT CASE $6 WHEN 'grid' THEN grid_code WHEN 'community' THEN community_code WHEN 'street' THEN street_code ELSE agency_code END AS code,
                           count(*) AS findings, count(dispatched_at) AS dispatched, count(resolved_at) AS resolved,
                           count(*) FILTER (WHERE state = 'closed') AS closed,
                           count(*) FILTER (WHERE resolved_at IS NOT NULL AND deadline_at IS NOT NULL AND resolved_at <= deadline_at) AS on_time,
                           count(*) FILTER (WHERE resolved_at IS NOT NULL AND deadline_at IS NOT NULL) AS with_deadline,
                           avg(extract(epoch FROM resolved_at - dispatched_at) / 3600) FILTER (WHERE resolved_at IS NOT NULL AND dispatched_at IS NOT NULL) AS hours,
                           count(*) FILTER (WHERE reopened) AS reopened,
                           avg(rating) AS satisfaction, count(rating) AS ratings, count(*) FILTER (WHERE marked) AS marks
                    FROM f WHERE $6 <> 'agency' OR agency_code IS NOT NULL
                    GROUP BY 1
                )
                SELECT grouped.code, coalesce(CASE WHEN $7 THEN names.name_en ELSE names.name_zh END, grouped.code),
                       findings, dispatched, resolved, closed, on_time, with_deadline, hours::float8, reopened, satisfaction::float8, ratings, marks
                FROM grouped
                LEFT JOIN (
                    SELECT code, name_zh, name_zh AS name_en FROM geo.grids WHERE $6 = 'grid'
                    UNION ALL SELECT code, name_zh, name_en FROM geo.communities WHERE $6 = 'community'
                    UNION ALL SELECT code, name_zh, name_en FROM geo.streets WHERE $6 = 'street'
                    UNION ALL SELECT code, name_zh, name_en FROM geo.agencies WHERE $6 = 'agency'
                ) names ON names.code = grouped.code
                ORDER BY grouped.code
                """, parameters.values
            ).map { row in
                let resolved: Int = try row.decode(at: 4)
                let onTime: Int = try row.decode(at: 6)
                let withDeadline: Int = try row.decode(at: 7)
                let reopened: Int = try row.decode(at: 9)
                return AssessmentRow(
                    code: try row.decode(at: 0), name: try row.decode(at: 1), findings: try row.decode(at: 2), dispatched: try row.decode(at: 3),
                    resolved: resolved, closed: try row.decode(at: 5), onTime: onTime,
                    onTimeRate: withDeadline > 0 ? Double(onTime) / Double(withDeadline) : nil, meanHandlingHours: try row.decode(Double?.self, at: 8),
                    reopened: reopened, reopenRate: resolved + reopened > 0 ? Double(reopened) / Double(max(resolved, reopened)) : nil,
                    satisfaction: try row.decode(Double?.self, at: 10), ratings: try row.decode(at: 11), overdueMarks: try row.decode(at: 12))
            }
        }
    }
}

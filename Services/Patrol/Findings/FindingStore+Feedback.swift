import Daemon
import Foundation
import GridCore
import Postgres

extension FindingStore {
    /// The reporter rates the handling of a closed finding, once.
    public func rate(_ id: UUID, rating: Int, comment: String?, by principal: Principal) async throws -> Finding {
        let now = clock.now()
        return try await pool.transaction { connection in
            guard let finding = try Self.read(id: id, on: connection), finding.reporter == principal.subject else {
                throw Problem.notFound("no finding of yours with this id")
            }
            guard finding.state == .closed else { throw Problem.conflict("not-closed", "a finding is rated once it is closed") }
            guard finding.rating == nil else { throw Problem.conflict("already-rated", "this finding has been rated") }
            try connection.execute(
                "UPDATE patrol.findings SET rating = $2, rating_comment = $3, updated_at = $4 WHERE id = $1", [id, rating, comment, now])
            try Self.record(
                "rate", finding: id, from: .closed, to: .closed, by: principal, reason: nil, detail: try JSONB(encoding: ["rating": rating]), at: now,
                on: connection)
            return try Self.read(id: id, on: connection)!
        }
    }

    /// Starts or stops following a visible finding.
    public func follow(_ id: UUID, _ follow: Bool, by principal: Principal) async throws {
        let parameters = PostgresParameters([id] + FindingVisibility.parameters(principal))
        try await pool.transaction { connection in
            guard
                try connection.query("SELECT 1 FROM patrol.findings f WHERE f.id = $1 AND \(FindingVisibility.predicate(first: 2))", parameters.values).count
                    == 1
            else {
                throw Problem.notFound("no such finding in your scope")
            }
            if follow {
                try connection.execute("INSERT INTO patrol.followers (finding_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING", [id, principal.subject])
            } else {
                try connection.execute("DELETE FROM patrol.followers WHERE finding_id = $1 AND subject = $2", [id, principal.subject])
            }
        }
    }

    /// The findings the principal reported or follows and may still see (a merge carries followers
    /// to the finding merged into, which may lie outside their scope), most recently changed first.
    public func following(_ principal: Principal, limit: Int, after: (Date, UUID)?) async throws -> [Finding] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(Finding.columns) FROM \(Finding.from) JOIN patrol.followers fo ON fo.finding_id = f.id AND fo.subject = $1
                WHERE ($2::timestamptz IS NULL OR (f.updated_at, f.id) < ($2, $3)) AND \(FindingVisibility.predicate(first: 5))
                ORDER BY f.updated_at DESC, f.id DESC LIMIT $4
                """, ([principal.subject, after?.0, after?.1, limit] as [any PostgresEncodable]) + FindingVisibility.parameters(principal)
            ).map(Finding.init(row:))
        }
    }
}

import Postgres

/// patrol v11: unfollowing a finding deletes the follower row (patrold lacked the grant, so
/// `DELETE /v1/findings/{id}/followers/me` always failed).
enum UnfollowMigration {
    static let migration = Migration(
        schema: "patrol", version: 11, name: "unfollow",
        sql: """
            GRANT DELETE ON patrol.followers TO patrold;
            """)
}

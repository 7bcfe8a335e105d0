import Postgres

extension MeshSchema {
    /// mesh v9: a replay starts a new round of a delivery's attempts instead of numbering from 1
    /// over the old ones, so the delivery log keeps every attempt ever made (before, a replayed
    /// attempt 1 collided with the first and was never written).
    public static let replayRounds = Migration(
        schema: "mesh", version: 9, name: "webhook replays keep their attempts",
        sql: """
            ALTER TABLE mesh.webhook_deliveries ADD COLUMN round integer NOT NULL DEFAULT 0;
            ALTER TABLE mesh.webhook_attempts ADD COLUMN round integer NOT NULL DEFAULT 0;
            ALTER TABLE mesh.webhook_attempts DROP CONSTRAINT webhook_attempts_pkey;
            ALTER TABLE mesh.webhook_attempts ADD PRIMARY KEY (delivery_id, round, attempt);
            """)
}

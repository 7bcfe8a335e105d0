import EventBus
import Postgres

/// mesh v4: the webhook ids each receiver has taken, so a replayed callback is refused.
public enum InboundSchema {
    public static let migration = Migration(
        schema: "mesh", version: 4, name: "inbound webhook ids",
        sql: """
            CREATE TABLE mesh.inbound_webhooks (
                receiver text NOT NULL,
                webhook_id text NOT NULL,
                received_at timestamptz NOT NULL,
                PRIMARY KEY (receiver, webhook_id)
            );
            CREATE INDEX inbound_webhooks_age ON mesh.inbound_webhooks (received_at);
            GRANT SELECT, INSERT, DELETE ON mesh.inbound_webhooks TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
            ALTER TABLE mesh.inbound_webhooks ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_ids ON mesh.inbound_webhooks USING (receiver = current_user) WITH CHECK (receiver = current_user);
            """)
}

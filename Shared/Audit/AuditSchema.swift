import EventBus
import Postgres

/// mesh v2: the audit log. Daemon roles append to and read their own chain only (row-level
/// security); nobody is granted UPDATE or DELETE.
public enum AuditSchema {
    public static let migration = Migration(
        schema: "mesh", version: 2, name: "audit log",
        sql: """
            CREATE TABLE mesh.audit_log (
                chain text NOT NULL,
                seq bigint NOT NULL CHECK (seq > 0),
                at timestamptz NOT NULL,
                actor text NOT NULL,
                actor_role text NOT NULL,
                action text NOT NULL,
                target text NOT NULL,
                reason text,
                request_id text,
                prev_hash bytea,
                hash bytea NOT NULL,
                PRIMARY KEY (chain, seq)
            );
            CREATE INDEX audit_log_target ON mesh.audit_log (target, at);
            GRANT SELECT, INSERT ON mesh.audit_log TO \(MeshSchema.firstDaemonRoles.joined(separator: ", "));
            ALTER TABLE mesh.audit_log ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_chain ON mesh.audit_log USING (chain = current_user) WITH CHECK (chain = current_user);
            """)
}

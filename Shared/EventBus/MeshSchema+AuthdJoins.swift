import Postgres

extension MeshSchema {
    /// mesh v10: authd joins the mesh with a login role of its own and the same mesh privileges as
    /// the first four daemons (the bus, its audit chain, webhooks out and in, the geography and the
    /// holiday calendar); the row policies already confine each role to its own rows. A test
    /// compares authd's grants with patrold's, so the two lists cannot drift apart.
    public static let authdJoins = Migration(
        schema: "mesh", version: 10, name: "authd's role",
        sql: """
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authd') THEN CREATE ROLE authd LOGIN; END IF; END $$;
            GRANT USAGE ON SCHEMA mesh TO authd;
            GRANT SELECT ON mesh.schema_migrations, mesh.subscriptions TO authd;
            GRANT SELECT, INSERT ON mesh.events TO authd;
            GRANT SELECT, INSERT, UPDATE, DELETE ON mesh.deliveries TO authd;
            GRANT SELECT, INSERT, DELETE ON mesh.handled TO authd;
            GRANT SELECT, INSERT ON mesh.audit_log TO authd;
            GRANT SELECT, INSERT, UPDATE, DELETE ON mesh.webhook_endpoints TO authd;
            GRANT SELECT, INSERT, UPDATE, DELETE ON mesh.webhook_deliveries TO authd;
            GRANT USAGE ON SEQUENCE mesh.webhook_deliveries_id_seq TO authd;
            GRANT SELECT, INSERT, DELETE ON mesh.webhook_attempts TO authd;
            GRANT SELECT, INSERT, DELETE ON mesh.inbound_webhooks TO authd;
            GRANT USAGE ON SCHEMA geo TO authd;
            GRANT SELECT ON ALL TABLES IN SCHEMA geo TO authd;
            """)
}

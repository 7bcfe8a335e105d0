import Postgres

extension MeshSchema {
    /// mesh v7: a daemon's role records only events of its own source and fans out only its own
    /// events: code running as vettingd can no longer announce a home visit as patrold, nor hand
    /// reentryd a delivery of someone else's event. Everyone still reads every event (payloads
    /// carry ids, never personal data).
    public static let ownEvents = Migration(
        schema: "mesh", version: 7, name: "a role publishes only its own events",
        sql: """
            ALTER TABLE mesh.events ENABLE ROW LEVEL SECURITY;
            CREATE POLICY read_all ON mesh.events FOR SELECT USING (true);
            CREATE POLICY own_source ON mesh.events FOR INSERT WITH CHECK (source = current_user);
            DROP POLICY fan_out ON mesh.deliveries;
            CREATE POLICY fan_out ON mesh.deliveries FOR INSERT
                WITH CHECK (EXISTS (SELECT 1 FROM mesh.events e WHERE e.id = deliveries.event_id AND e.source = current_user));
            """)
}

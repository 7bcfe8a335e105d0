import Postgres

/// The shared `mesh` schema: the daemons' login roles and the event bus tables.
public enum MeshSchema {
    /// One login role per daemon; each reads and writes its own schema and, here, only what the bus
    /// needs. These four are the roles of mesh v1, whose migrations (applied, checksummed) name them;
    /// authd joined at mesh v10 (`authdJoins`). A grant written after that names `daemonRoles`.
    public static let firstDaemonRoles = ["patrold", "meetingd", "reentryd", "vettingd"]
    public static let daemonRoles = firstDaemonRoles + ["authd"]

    public static let migrations: [Migration] = [
        Migration(
            schema: "mesh", version: 1, name: "roles and event bus",
            sql: """
                \(firstDaemonRoles.map { role in
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(role) LOGIN; END IF; END $$;"
                }.joined(separator: "\n"))

                CREATE TABLE mesh.events (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    event_id uuid NOT NULL UNIQUE,
                    topic text NOT NULL CHECK (topic ~ '^[a-z_]+(\\.[a-z_]+)+$'),
                    source text NOT NULL,
                    occurred_at timestamptz NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object')
                );
                CREATE INDEX events_topic_time ON mesh.events (topic, recorded_at);

                CREATE TABLE mesh.subscriptions (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    subscriber text NOT NULL,
                    -- an exact topic, a prefix ending in ".*", or "*"
                    topic_pattern text NOT NULL CHECK (topic_pattern ~ '^(\\*|[a-z_]+(\\.[a-z_]+)*(\\.\\*)?)$'),
                    state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'disabled')),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (subscriber, topic_pattern)
                );

                CREATE TABLE mesh.deliveries (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    event_id bigint NOT NULL REFERENCES mesh.events (id),
                    subscription_id uuid NOT NULL REFERENCES mesh.subscriptions (id) ON DELETE CASCADE,
                    subscriber text NOT NULL,
                    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done', 'dead')),
                    attempts integer NOT NULL DEFAULT 0,
                    -- when pending: not before; when leased: the lease's expiry
                    available_at timestamptz NOT NULL DEFAULT now(),
                    lease_token uuid,
                    last_error text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    finished_at timestamptz,
                    UNIQUE (event_id, subscription_id)
                );
                CREATE INDEX deliveries_ready ON mesh.deliveries (subscriber, available_at) WHERE state IN ('pending', 'leased');
                CREATE INDEX deliveries_dead ON mesh.deliveries (subscriber) WHERE state = 'dead';

                -- Handlers run at most once per subscriber and event, even when an event is delivered again.
                CREATE TABLE mesh.handled (
                    subscriber text NOT NULL,
                    event_id uuid NOT NULL,
                    handled_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (subscriber, event_id)
                );

                GRANT USAGE ON SCHEMA mesh TO \(firstDaemonRoles.joined(separator: ", "));
                GRANT SELECT ON mesh.schema_migrations, mesh.subscriptions TO \(firstDaemonRoles.joined(separator: ", "));
                GRANT SELECT, INSERT ON mesh.events TO \(firstDaemonRoles.joined(separator: ", "));
                GRANT SELECT, INSERT, UPDATE ON mesh.deliveries TO \(firstDaemonRoles.joined(separator: ", "));
                GRANT SELECT, INSERT ON mesh.handled TO \(firstDaemonRoles.joined(separator: ", "));

                -- A daemon fans events out to every subscriber but sees and claims only its own deliveries.
                ALTER TABLE mesh.deliveries ENABLE ROW LEVEL SECURITY;
                CREATE POLICY fan_out ON mesh.deliveries FOR INSERT WITH CHECK (true);
                CREATE POLICY own_select ON mesh.deliveries FOR SELECT USING (subscriber = current_user);
                CREATE POLICY own_update ON mesh.deliveries FOR UPDATE USING (subscriber = current_user);
                ALTER TABLE mesh.handled ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_rows ON mesh.handled USING (subscriber = current_user) WITH CHECK (subscriber = current_user);
                """)
    ]
}

extension MeshSchema {
    /// mesh v3: a failed handler's claim on an event is withdrawn inside its batch, so the retry runs it.
    public static let handledWithdrawal = Migration(
        schema: "mesh", version: 3, name: "handled rows can be withdrawn",
        sql: "GRANT DELETE ON mesh.handled TO \(firstDaemonRoles.joined(separator: ", "));")
}

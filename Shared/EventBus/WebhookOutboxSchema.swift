import Postgres

extension MeshSchema {
    /// mesh v5: outbound webhooks. A daemon's endpoints receive the events it publishes: `publish`
    /// fans each event out to the matching endpoints in the same transaction (the outbox), and the
    /// daemon's dispatcher delivers them. Row-level security keeps each daemon to its own.
    public static let webhookOutbox = Migration(
        schema: "mesh", version: 5, name: "outbound webhooks",
        sql: """
            CREATE TABLE mesh.webhook_endpoints (
                id uuid PRIMARY KEY,
                -- the daemon whose events the endpoint receives, and which delivers them
                owner text NOT NULL,
                url text NOT NULL CHECK (url ~ '^https?://'),
                description text NOT NULL DEFAULT '',
                topics text[] NOT NULL CHECK (cardinality(topics) > 0),
                -- only events about this agency (their agency_code or owner_agency)
                agency_code text,
                state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'disabled')),
                disabled_reason text,
                secret text NOT NULL CHECK (secret LIKE 'whsec\\_%'),
                -- during a rotation the old secret signs too, until it expires
                previous_secret text,
                previous_secret_expires_at timestamptz,
                failing_since timestamptz,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX webhook_endpoints_owner ON mesh.webhook_endpoints (owner) WHERE state <> 'disabled';

            CREATE TABLE mesh.webhook_deliveries (
                id bigserial PRIMARY KEY,
                endpoint_id uuid NOT NULL REFERENCES mesh.webhook_endpoints (id) ON DELETE CASCADE,
                owner text NOT NULL,
                event_id bigint NOT NULL REFERENCES mesh.events (id),
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                leased_until timestamptz,
                last_status integer,
                last_error text,
                last_latency_ms integer,
                delivered_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (endpoint_id, event_id)
            );
            CREATE INDEX webhook_deliveries_due ON mesh.webhook_deliveries (owner, next_attempt_at) WHERE state = 'pending';

            CREATE TABLE mesh.webhook_attempts (
                delivery_id bigint NOT NULL REFERENCES mesh.webhook_deliveries (id) ON DELETE CASCADE,
                attempt integer NOT NULL,
                owner text NOT NULL,
                at timestamptz NOT NULL,
                status integer,
                latency_ms integer NOT NULL,
                error text,
                PRIMARY KEY (delivery_id, attempt)
            );

            GRANT SELECT, INSERT, UPDATE, DELETE ON mesh.webhook_endpoints TO \(firstDaemonRoles.joined(separator: ", "));
            GRANT SELECT, INSERT, UPDATE ON mesh.webhook_deliveries TO \(firstDaemonRoles.joined(separator: ", "));
            GRANT USAGE ON SEQUENCE mesh.webhook_deliveries_id_seq TO \(firstDaemonRoles.joined(separator: ", "));
            GRANT SELECT, INSERT ON mesh.webhook_attempts TO \(firstDaemonRoles.joined(separator: ", "));
            ALTER TABLE mesh.webhook_endpoints ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_endpoints ON mesh.webhook_endpoints USING (owner = current_user) WITH CHECK (owner = current_user);
            ALTER TABLE mesh.webhook_deliveries ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_deliveries ON mesh.webhook_deliveries USING (owner = current_user) WITH CHECK (owner = current_user);
            ALTER TABLE mesh.webhook_attempts ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_attempts ON mesh.webhook_attempts USING (owner = current_user) WITH CHECK (owner = current_user);
            """)
}

extension MeshSchema {
    /// The version of the `mesh` schema this code needs.
    public static var version: Int { authdJoins.version }
}

/// The wake-up channel of a daemon's webhook dispatcher.
public func webhookChannel(for owner: String) -> String { "mesh_webhooks_\(owner)" }

extension MeshSchema {
    /// mesh v6: each daemon prunes its own finished work — done deliveries, handled marks,
    /// delivered webhooks and their attempts, old inbound webhook ids — after a retention time.
    public static let pruning = Migration(
        schema: "mesh", version: 6, name: "pruning finished work",
        sql: """
            GRANT DELETE ON mesh.deliveries, mesh.webhook_deliveries, mesh.webhook_attempts TO \(firstDaemonRoles.joined(separator: ", "));
            CREATE POLICY own_delete ON mesh.deliveries FOR DELETE USING (subscriber = current_user);
            CREATE INDEX deliveries_finished ON mesh.deliveries (subscriber, finished_at) WHERE state = 'done';
            CREATE INDEX handled_age ON mesh.handled (subscriber, handled_at);
            CREATE INDEX webhook_deliveries_finished ON mesh.webhook_deliveries (owner, delivered_at) WHERE state = 'delivered';
            """)
}

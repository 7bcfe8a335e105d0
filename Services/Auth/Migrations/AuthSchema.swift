import EventBus
import Postgres

/// The `auth` schema, owned by authd: credentials, activation codes, sessions and refresh tokens.
/// Accounts themselves stay in the directory (`geo.accounts`); nothing here is readable by another
/// daemon except `auth.revoked_sessions` — session ids and when, nothing about whose.
public enum AuthSchema {
    public static let migrations: [Migration] = [credentials, clientSecrets]

    public static var version: Int { migrations.last!.version }

    static let credentials = Migration(
        schema: "auth", version: 1, name: "credentials, activation codes, sessions",
        sql: """
            CREATE SCHEMA auth;
            REVOKE ALL ON SCHEMA auth FROM PUBLIC;

            -- One row per account that has been invited. password_hash is an argon2id PHC string;
            -- totp_secret is sealed with the mesh's secrets key, bound to the account.
            CREATE TABLE auth.credentials (
                subject text PRIMARY KEY REFERENCES geo.accounts (subject),
                password_hash text,
                password_changed_at timestamptz,
                totp_secret text,
                totp_confirmed_at timestamptz,
                -- the last TOTP time step accepted: a code is good once
                totp_last_step bigint NOT NULL DEFAULT 0,
                failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
                last_failed_at timestamptz,
                locked_until timestamptz,
                updated_at timestamptz NOT NULL
            );

            -- One-time codes from `gridctl accounts invite` or an administrator's reset: only their
            -- SHA-256 is kept; a new code for an account voids the ones before.
            CREATE TABLE auth.activation_codes (
                code_hash bytea PRIMARY KEY,
                subject text NOT NULL REFERENCES geo.accounts (subject),
                purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                used_at timestamptz,
                voided_at timestamptz
            );
            CREATE INDEX activation_codes_subject ON auth.activation_codes (subject) WHERE used_at IS NULL AND voided_at IS NULL;

            CREATE TABLE auth.sessions (
                id uuid PRIMARY KEY,
                subject text NOT NULL REFERENCES geo.accounts (subject),
                client text NOT NULL CHECK (client IN ('browser', 'app')),
                created_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                revoked_at timestamptz,
                revoked_reason text CHECK (revoked_reason IN ('sign-out', 'refresh-reuse', 'administrator', 'password-change', 'reset')),
                CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
            );
            CREATE INDEX sessions_subject ON auth.sessions (subject) WHERE revoked_at IS NULL;
            CREATE INDEX sessions_revoked ON auth.sessions (revoked_at) WHERE revoked_at IS NOT NULL;

            -- Each refresh is one-time: using it spends it and gives the next; a spent one used
            -- again revokes its session (it was copied).
            CREATE TABLE auth.refresh_tokens (
                token_hash bytea PRIMARY KEY,
                session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
                issued_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                spent_at timestamptz
            );
            CREATE INDEX refresh_tokens_session ON auth.refresh_tokens (session_id);

            -- What every daemon reads to refuse a revoked session's access tokens: ids only, the
            -- last hour (an access token lives ten minutes at most).
            CREATE VIEW auth.revoked_sessions AS
                SELECT id AS session_id, revoked_at FROM auth.sessions WHERE revoked_at > now() - interval '1 hour';

            GRANT USAGE ON SCHEMA auth TO \(MeshSchema.daemonRoles.joined(separator: ", "));
            GRANT SELECT ON auth.revoked_sessions TO \(MeshSchema.daemonRoles.joined(separator: ", "));
            GRANT SELECT, INSERT, UPDATE ON auth.credentials, auth.activation_codes, auth.sessions TO authd;
            GRANT SELECT, INSERT, UPDATE, DELETE ON auth.refresh_tokens TO authd;
            """)

    static let clientSecrets = Migration(
        schema: "auth", version: 2, name: "client secrets of service accounts",
        sql: """
            -- The client-credentials grant's secrets (`gridctl accounts client-secret`), kept only as
            -- their SHA-256. A new secret leaves the earlier ones valid until expires_at, so a
            -- daemon's credential is replaced without a moment in which it cannot get a token.
            CREATE TABLE auth.client_secrets (
                secret_hash bytea PRIMARY KEY,
                subject text NOT NULL REFERENCES geo.accounts (subject),
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                last_used_at timestamptz
            );
            CREATE INDEX client_secrets_subject ON auth.client_secrets (subject);
            GRANT SELECT, UPDATE ON auth.client_secrets TO authd;

            -- the mesh's own service accounts, which call their peers (every deployment has them)
            INSERT INTO geo.accounts (subject, display_name, role, scope)
            VALUES ('svc-patrold', 'patrold service', 'service', 'district'), ('svc-meetingd', 'meetingd service', 'service', 'district'),
                   ('svc-reentryd', 'reentryd service', 'service', 'district'), ('svc-vettingd', 'vettingd service', 'service', 'district')
            ON CONFLICT (subject) DO NOTHING;
            """)
}

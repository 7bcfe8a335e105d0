import Audit
import Daemon
import Foundation
import GridCore
import Postgres

/// Service accounts (`svc-meetingd`, …) and their client secrets: the client-credentials grant
/// (RFC 6749 §4.4) gives a daemon access tokens of minutes for its peers, so no long-lived service
/// token exists anywhere. A secret is `gmcs_` and 32 random bytes, kept only as its SHA-256.
public struct ServiceClients: Sendable {
    let store: SessionStore

    static let invalidClient = Problem.oauth(
        "invalid_client", "the client id or secret is wrong", title: "Client authentication failed", status: .unauthorized)

    /// The service account `clientID` if `secret` is one of its live secrets; failures count
    /// against the address as failed sign-ins do, and go into the audit chain.
    func authenticate(clientID: String, secret: String, address: String) async throws -> Account {
        let now = store.clock.now()
        let wait = store.addresses.wait(address, now: now)
        guard wait == 0 else {
            throw Problem.tooMany("too-many-attempts", "too many failed authentications from this address; try again later", retryAfterSeconds: wait)
        }
        let account = try await store.pool.transaction { [chain = store.chain] connection -> Account? in
            let found = try connection.query(
                """
                UPDATE auth.client_secrets s SET last_used_at = $3
                FROM geo.accounts a
                WHERE s.secret_hash = $1 AND s.subject = $2 AND a.subject = s.subject AND a.role = 'service'
                  AND (s.expires_at IS NULL OR s.expires_at > $3)
                RETURNING \(Account.columns)
                """, [OneTimeSecret.hash(secret), clientID, now]
            ).first.map(Account.init(row:))
            if found == nil {
                try AuditLog.append(
                    chain: chain, actor: SessionStore.anonymous, action: "client.failed", target: SessionStore.target(clientID), at: now, on: connection)
            }
            return found
        }
        guard let account else {
            store.addresses.failed(address, at: now)
            throw Self.invalidClient
        }
        return account
    }

    /// A new secret for a service account, written by gridctl (authd's own role cannot add one);
    /// the account's earlier secrets stay valid for `overlap`, then expire.
    public static func issue(
        for subject: String, overlap: Duration, by administrator: Principal, chain: String, at now: Date, on connection: PostgresConnection
    )
        throws -> String
    {
        guard let role = try connection.query("SELECT role FROM geo.accounts WHERE subject = $1", [subject]).first?.decode(String.self, at: 0) else {
            throw Problem(.notFound, code: "no-account", title: "No such account", detail: "no account \(subject) in geo.accounts")
        }
        guard role == Role.service.rawValue else {
            throw Problem(.unprocessableContent, code: "not-a-service", title: "Not a service account", detail: "\(subject) is a person: people sign in")
        }
        let secret = OpaqueSecret.make("gmcs_")
        let until = now.addingTimeInterval(TimeInterval(overlap.components.seconds))
        try connection.execute(
            "UPDATE auth.client_secrets SET expires_at = $2 WHERE subject = $1 AND (expires_at IS NULL OR expires_at > $2)", [subject, until])
        try connection.execute(
            "INSERT INTO auth.client_secrets (secret_hash, subject, created_by, created_at) VALUES ($1, $2, $3, $4)",
            [OneTimeSecret.hash(secret), subject, administrator.subject, now])
        try AuditLog.append(
            chain: chain, actor: administrator, action: "client.secret", target: SessionStore.target(subject),
            reason: "earlier secrets expire \(RFC3339.format(until))", at: now, on: connection)
        return secret
    }
}

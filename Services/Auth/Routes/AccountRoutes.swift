import Daemon
import Foundation
import GridCore
import Hummingbird
import Postgres

/// `/v1/me`: the signed-in person's account, sessions and password; `/v1/accounts/{subject}`: an
/// administrator's reset, unlock and revocation of every session.
enum AccountRoutes {
    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    struct SessionView: Encodable, Sendable {
        let id: UUID
        let client: String
        let createdAt: Date
        let lastUsedAt: Date
        let expiresAt: Date
        let current: Bool
    }

    struct Me: Encodable, Sendable {
        let account: TokenReply.AccountView
        let sessions: [SessionView]
    }

    struct CredentialState: Encodable, Sendable {
        let subject: String
        let activated: Bool
        let secondFactorEnrolled: Bool
        let lockedUntil: Date?
        let failedAttempts: Int
        let liveSessions: Int
        let pendingActivation: Bool
    }

    static let sessionSchema = Schema.object([
        ("id", Schema.uuid), ("client", Schema.string(enum: ["browser", "app"])), ("created_at", Schema.dateTime), ("last_used_at", Schema.dateTime),
        ("expires_at", Schema.dateTime), ("current", Schema.boolean),
    ])

    static func register(on routes: APIRoutes, sessions: SessionStore, enrolment: Enrolment) {
        let pool = sessions.pool
        routes.add(
            APIOperation(
                .get, "/v1/me", id: "me", summary: "Who I am signed in as, and my live sessions", tag: "account", access: .signedIn,
                replies: [.init(200, "My account", Schema.object([("account", ["type": "object"]), ("sessions", Schema.array(sessionSchema))]))])
        ) { _, context in
            let principal = try context.authenticated()
            let me = try await pool.withConnection { connection -> Me in
                guard let account = try Account.find(principal.subject, on: connection) else { throw Problem.notFound("the account is gone") }
                let live = try connection.query(
                    """
                    SELECT id, client, created_at, last_used_at, expires_at FROM auth.sessions
                    WHERE subject = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC
                    """, [principal.subject]
                ).map { row in
                    let id: UUID = try row.decode(at: 0)
                    return SessionView(
                        id: id, client: try row.decode(at: 1), createdAt: try row.decode(at: 2), lastUsedAt: try row.decode(at: 3),
                        expiresAt: try row.decode(at: 4), current: id.uuidString.lowercased() == context.session)
                }
                return Me(account: TokenReply.AccountView(account), sessions: live)
            }
            return try APICoding.response(.ok, me)
        }

        routes.add(
            APIOperation(
                .delete, "/v1/me/sessions/{id}", id: "endMySession", summary: "End one of my sessions (a lost phone, a shared computer)",
                tag: "account", access: .signedIn, parameters: [.path("id", Schema.uuid)], replies: [.init(204, "Ended")])
        ) { _, context in
            let principal = try context.authenticated()
            try await sessions.revoke(session: try context.uuid("id"), of: principal.subject, reason: "sign-out", by: principal)
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .put, "/v1/me/password", id: "changePassword", summary: "Change my password; my other sessions end", tag: "account", access: .signedIn,
                body: Schema.object(
                    [("current_password", Schema.string()), ("new_password", Schema.string())], required: ["current_password", "new_password"]),
                replies: [
                    .init(204, "Changed"),
                    .init(422, "Wrong current password, or the new one is refused", Schema.problem, contentType: "application/problem+json"),
                ])
        ) { request, context in
            let body = try await APICoding.decode(PasswordChange.self, from: request, context: context)
            try await enrolment.changePassword(for: try context.authenticated(), session: context.session, current: body.currentPassword, new: body.newPassword)
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .get, "/v1/accounts/{subject}", id: "credentialState", summary: "An account's sign-in state: activated, second factor, lock, sessions",
                tag: "accounts", access: .roles(.admin), parameters: [.path("subject")],
                replies: [.init(200, "The state", ["type": "object"]), .init(404, "No such account", Schema.problem, contentType: "application/problem+json")])
        ) { _, context in
            let subject = context.parameters.get("subject") ?? ""
            let state = try await pool.withConnection { connection -> CredentialState in
                guard
                    let row = try connection.query(
                        """
                        SELECT c.password_hash IS NOT NULL, c.totp_confirmed_at IS NOT NULL, c.locked_until, coalesce(c.failed_attempts, 0),
                            (SELECT count(*)::int FROM auth.sessions s WHERE s.subject = a.subject AND s.revoked_at IS NULL AND s.expires_at > now()),
                            EXISTS (SELECT 1 FROM auth.activation_codes k WHERE k.subject = a.subject AND k.used_at IS NULL AND k.voided_at IS NULL
                                    AND k.expires_at > now())
                        FROM geo.accounts a LEFT JOIN auth.credentials c ON c.subject = a.subject WHERE a.subject = $1
                        """, [subject]
                    ).first
                else { throw Problem.notFound("no account \(subject)") }
                return CredentialState(
                    subject: subject, activated: try row.decode(Bool?.self, at: 0) ?? false, secondFactorEnrolled: try row.decode(Bool?.self, at: 1) ?? false,
                    lockedUntil: try row.decode(Date?.self, at: 2), failedAttempts: try row.decode(at: 3), liveSessions: try row.decode(at: 4),
                    pendingActivation: try row.decode(at: 5))
            }
            return try APICoding.response(.ok, state)
        }

        routes.add(
            APIOperation(
                .post, "/v1/accounts/{subject}/reset", id: "resetCredentials",
                summary: "Reset: password and second factor cleared, sessions ended, a new activation code (a day) to hand over", tag: "accounts",
                access: .roles(.admin), parameters: [.path("subject")],
                replies: [
                    .init(200, "The activation code, shown once", Schema.object([("activation_code", Schema.string())])),
                    .init(404, "No such account", Schema.problem, contentType: "application/problem+json"),
                ])
        ) { _, context in
            let code = try await enrolment.reset(context.parameters.get("subject") ?? "", by: try context.authenticated())
            return try APICoding.response(.ok, ["activation_code": code], headers: [.cacheControl: "no-store"])
        }

        routes.add(
            APIOperation(
                .post, "/v1/accounts/{subject}/unlock", id: "unlockAccount", summary: "Lift a lock after failed sign-ins", tag: "accounts",
                access: .roles(.admin), parameters: [.path("subject")],
                replies: [.init(204, "Unlocked"), .init(404, "No credentials", Schema.problem, contentType: "application/problem+json")])
        ) { _, context in
            try await enrolment.unlock(context.parameters.get("subject") ?? "", by: try context.authenticated())
            return Response(status: .noContent)
        }

        routes.add(
            APIOperation(
                .delete, "/v1/accounts/{subject}/sessions", id: "revokeAccountSessions",
                summary: "End every session of an account (on leave, transferred, dismissed): every daemon refuses them within a second", tag: "accounts",
                access: .roles(.admin), parameters: [.path("subject")],
                replies: [
                    .init(200, "How many were live", Schema.object([("revoked", Schema.integer())])),
                    .init(404, "No such account", Schema.problem, contentType: "application/problem+json"),
                ])
        ) { _, context in
            let count = try await sessions.revokeAll(of: context.parameters.get("subject") ?? "", by: try context.authenticated())
            return try APICoding.response(.ok, ["revoked": count])
        }
    }
}

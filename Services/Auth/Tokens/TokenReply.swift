import Daemon
import Foundation
import GridCore
import Hummingbird

/// What a sign-in or a refresh answers (RFC 6749 §5.1, with GridMesh's additions): an access token
/// for the first audience asked for, one per audience in `access_tokens`, the session and who it is.
/// A browser's refresh token is in an HttpOnly cookie, never in the body; a phone app gets it in the body.
struct TokenReply: Encodable {
    let accessToken: String
    let tokenType = "Bearer"
    let expiresIn: Int
    let accessTokens: [String: String]
    let refreshToken: String?
    let refreshExpiresIn: Int?
    let sessionId: String?
    let account: AccountView?

    struct AccountView: Encodable {
        let subject: String
        let displayName: String
        let role: Role
        let scope: Scope
        let agency: String?
        let secondFactor: Bool

        init(_ account: Account) {
            subject = account.subject
            displayName = account.displayName
            role = account.role
            scope = account.scope
            agency = account.agency
            secondFactor = account.needsSecondFactor
        }
    }

    static let schema = Schema.object([
        ("access_token", Schema.string()), ("token_type", Schema.string(enum: ["Bearer"])), ("expires_in", Schema.integer()),
        ("access_tokens", ["type": "object", "additionalProperties": Schema.string()]), ("refresh_token", Schema.string()),
        ("refresh_expires_in", Schema.integer()), ("session_id", Schema.uuid), ("account", ["type": "object"]),
    ])

    /// The audiences a request names (`audience`, space-separated daemon names), all of them by default.
    static func audiences(_ text: String?) throws -> [String] {
        guard let text, !text.isEmpty else { return AccessTokens.audiences }
        let names = text.split(separator: " ").map(String.init)
        guard !names.isEmpty, names.allSatisfy(AccessTokens.audiences.contains) else {
            // RFC 8707 §2's error, with `error` beside the problem members for OAuth clients
            throw Problem.oauth(
                "invalid_target", "audience names daemons of the mesh: \(AccessTokens.audiences.joined(separator: " "))", title: "Unknown audience")
        }
        return names
    }

    /// The refresh cookie of a browser session (empty and expired to clear it).
    static func cookie(_ token: String?, expiresAt: Date?, path: String, now: Date) -> String {
        let maxAge = expiresAt.map { max(0, Int($0.timeIntervalSince(now))) } ?? 0
        return "\(cookieName)=\(token ?? ""); Max-Age=\(maxAge); Path=\(path); HttpOnly; Secure; SameSite=Strict"
    }

    static let cookieName = "gridmesh_refresh"
}

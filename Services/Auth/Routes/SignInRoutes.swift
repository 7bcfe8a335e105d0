import Daemon
import Foundation
import GridCore
import HTTPTypes
import Hummingbird

/// Signing in and staying signed in: activation, sign-in, the token endpoint (RFC 6749's refresh
/// grant), revocation (RFC 7009) and sign-out.
enum SignInRoutes {
    struct Activation: Decodable {
        let username: String
        let code: String
        let password: String
    }

    struct SignIn: Decodable {
        let username: String
        let password: String
        let totpCode: String?
        let client: SessionStore.Client?
        let audience: String?
    }

    struct Settings: Sendable {
        let tokens: AccessTokens
        let lifetime: Duration
        let cookiePath: String
        let trustedProxies: Set<String>
    }

    static func register(on routes: APIRoutes, sessions: SessionStore, enrolment: Enrolment, settings: Settings) {
        let problem = APIOperation.Reply(400, "Refused", Schema.problem, contentType: "application/problem+json")
        let unauthorized = APIOperation.Reply(401, "Wrong account, password or code", Schema.problem, contentType: "application/problem+json")
        let slowed = APIOperation.Reply(429, "Too many failures: wait (Retry-After)", Schema.problem, contentType: "application/problem+json")

        routes.add(
            APIOperation(
                .post, "/v1/activations", id: "activate", summary: "Set the first password with the activation code of an invite or a reset",
                tag: "sign-in", access: .anyone,
                body: Schema.object(
                    [("username", Schema.string()), ("code", Schema.string("the activation code, e.g. K7QD-M2XP-9HWT")), ("password", Schema.string())],
                    required: ["username", "code", "password"]),
                replies: [
                    .init(
                        200, "Activated; for roles with a second factor, the authenticator secret (shown once)",
                        Schema.object([("subject", Schema.string()), ("totp_uri", Schema.string()), ("totp_secret", Schema.string())], required: ["subject"])),
                    problem, .init(422, "The password is refused by the policy", Schema.problem, contentType: "application/problem+json"), slowed,
                ])
        ) { request, context in
            let body = try await APICoding.decode(Activation.self, from: request, context: context)
            let address = context.clientAddress(of: request, trustedProxies: settings.trustedProxies)
            return try APICoding.response(
                .ok, try await enrolment.activate(username: body.username, code: body.code, password: body.password, address: address))
        }

        routes.add(
            APIOperation(
                .post, "/v1/sessions", id: "signIn",
                summary: "Sign in with a password (and the authenticator code for roles that need one): access tokens and a refresh token",
                tag: "sign-in", access: .anyone,
                body: Schema.object(
                    [
                        ("username", Schema.string()), ("password", Schema.string()), ("totp_code", Schema.string(maxLength: 6)),
                        ("client", Schema.string("browser: the refresh token in an HttpOnly cookie; app: in the body", enum: ["browser", "app"])),
                        ("audience", Schema.string("space-separated daemons to get tokens for; all by default")),
                    ], required: ["username", "password"]),
                replies: [
                    .init(201, "Signed in", TokenReply.schema), unauthorized,
                    .init(403, "The role needs a second factor that is not enrolled", Schema.problem, contentType: "application/problem+json"), slowed,
                ])
        ) { request, context in
            let body = try await APICoding.decode(SignIn.self, from: request, context: context)
            let audiences = try TokenReply.audiences(body.audience)
            let opened = try await sessions.signIn(
                username: body.username, password: body.password, code: body.totpCode, client: body.client ?? .browser,
                address: context.clientAddress(of: request, trustedProxies: settings.trustedProxies))
            return try await reply(.created, opened, audiences: audiences, settings: settings)
        }

        routes.add(
            APIOperation(
                .post, "/v1/token", id: "token",
                summary:
                    "OAuth 2.0 token endpoint (form-encoded): grant_type=refresh_token with refresh_token (or the browser's cookie), "
                    + "or client_credentials for a service account (client_secret_post or client_secret_basic); audience optional",
                tag: "sign-in", access: .anyone,
                replies: [
                    .init(200, "New tokens; the refresh token is spent", TokenReply.schema), problem,
                    .init(401, "The client id or secret is wrong", Schema.problem, contentType: "application/problem+json"), slowed,
                ])
        ) { request, context in
            let form = try await formBody(request, context)
            guard let grant = form["grant_type"] else { throw oauth("invalid_request", "grant_type is required") }
            let audiences = try TokenReply.audiences(form["audience"])
            if grant == "client_credentials" {
                let (id, secret) = try clientAuthentication(request, form)
                let account = try await ServiceClients(store: sessions).authenticate(
                    clientID: id, secret: secret, address: context.clientAddress(of: request, trustedProxies: settings.trustedProxies))
                return try await serviceReply(account, audiences: audiences, settings: settings)
            }
            guard grant == "refresh_token" else { throw oauth("unsupported_grant_type", "the grant types are refresh_token and client_credentials") }
            guard let token = form["refresh_token"] ?? request.cookies[TokenReply.cookieName]?.value, !token.isEmpty else {
                throw oauth("invalid_request", "refresh_token is required")
            }
            return try await reply(.ok, try await sessions.refresh(token), audiences: audiences, settings: settings)
        }

        routes.add(
            APIOperation(
                .post, "/v1/revoke", id: "revokeToken", summary: "RFC 7009: revoke a refresh token's session (form-encoded token=…); 200 whatever it was",
                tag: "sign-in", access: .anyone, replies: [.init(200, "Revoked if it was live")])
        ) { request, context in
            let form = try await formBody(request, context)
            guard let token = form["token"] ?? request.cookies[TokenReply.cookieName]?.value else { throw oauth("invalid_request", "token is required") }
            try await sessions.revoke(refreshToken: token)
            var response = Response(status: .ok)
            response.headers[.setCookie] = TokenReply.cookie(nil, expiresAt: nil, path: settings.cookiePath, now: Date())
            return response
        }

        routes.add(
            APIOperation(
                .delete, "/v1/sessions/current", id: "signOut", summary: "Sign out: the session of this access token ends on every daemon",
                tag: "sign-in", access: .signedIn, replies: [.init(204, "Signed out")])
        ) { _, context in
            try await sessions.signOut(context: context)
            var response = Response(status: .noContent)
            response.headers[.setCookie] = TokenReply.cookie(nil, expiresAt: nil, path: settings.cookiePath, now: Date())
            return response
        }
    }

    static func reply(_ status: HTTPResponse.Status, _ opened: SessionStore.Opened, audiences: [String], settings: Settings) async throws -> Response {
        let now = Date()
        let tokens = try await settings.tokens.mint(for: opened.account, session: opened.session, audiences: audiences, at: now)
        let inBody = opened.client == .app
        let body = TokenReply(
            accessToken: tokens[audiences[0]]!, expiresIn: Int(settings.lifetime.components.seconds), accessTokens: tokens,
            refreshToken: inBody ? opened.refreshToken : nil,
            refreshExpiresIn: Int(opened.refreshExpiresAt.timeIntervalSince(now)), sessionId: opened.session.uuidString.lowercased(),
            account: TokenReply.AccountView(opened.account))
        var headers: HTTPFields = [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]
        if !inBody {
            headers[.setCookie] = TokenReply.cookie(opened.refreshToken, expiresAt: opened.refreshExpiresAt, path: settings.cookiePath, now: now)
        }
        return try APICoding.response(status, body, headers: headers)
    }

    /// A service account's tokens: no session, no refresh token — it asks again with its secret.
    static func serviceReply(_ account: Account, audiences: [String], settings: Settings) async throws -> Response {
        let tokens = try await settings.tokens.mint(for: account, session: nil, audiences: audiences, at: Date())
        let body = TokenReply(
            accessToken: tokens[audiences[0]]!, expiresIn: Int(settings.lifetime.components.seconds), accessTokens: tokens, refreshToken: nil,
            refreshExpiresIn: nil, sessionId: nil, account: TokenReply.AccountView(account))
        return try APICoding.response(.ok, body, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    /// The client's id and secret, from HTTP Basic (RFC 6749 §2.3.1: each form-encoded first) or the
    /// form's client_id and client_secret — one of the two, never both.
    static func clientAuthentication(_ request: Request, _ form: FormBody) throws -> (String, String) {
        let basic = request.headers[.authorization].flatMap { header -> (String, String)? in
            guard header.lowercased().hasPrefix("basic "), let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return nil }
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            return (decode(text[..<colon]), decode(text[text.index(after: colon)...]))
        }
        switch (basic, form["client_id"], form["client_secret"]) {
        case (let credentials?, _, nil): return credentials
        case (nil, let id?, let secret?) where !id.isEmpty && !secret.isEmpty: return (id, secret)
        case (.some, _, .some): throw oauth("invalid_request", "authenticate the client one way: HTTP Basic or client_secret, not both")
        default: throw ServiceClients.invalidClient
        }
    }

    static func formBody(_ request: Request, _ context: DaemonRequestContext) async throws -> FormBody {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Form encoding expected", detail: "send application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let form = FormBody(String(buffer: buffer)) else { throw oauth("invalid_request", "the body is not form-encoded") }
        return form
    }

    /// An RFC 6749 §5.2 error, as problem+json whose code is the OAuth error code.
    static func oauth(_ error: String, _ detail: String) -> Problem { Problem.oauth(error, detail, title: "The token request is refused") }
}

import Foundation
import Hummingbird
import Logging

/// Verifies the bearer token of every request to the routes it guards and records the principal.
/// Missing, malformed, forged or expired tokens get 401; what is wrong is logged, not told.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = DaemonRequestContext
    let verifier: TokenVerifier

    public init(verifier: TokenVerifier) { self.verifier = verifier }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem.unauthorized("a bearer token is required")
        }
        let claims: TokenClaims
        do {
            claims = try await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } catch {
            context.logger.notice("token refused", metadata: ["reason": "\(error)"])
            throw Problem.unauthorized("the bearer token is not valid")
        }
        var context = context
        context.principal = claims.principal
        context.logger[metadataKey: "subject"] = .string(claims.sub.value)
        return try await next(request, context)
    }
}

import Foundation
import GridCore
import HTTPTypes
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
        let bearer: TokenVerifier.Bearer
        do {
            bearer = try await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } catch let error as KeysUnavailable {
            context.logger.warning("token keys unavailable", metadata: ["reason": "\(error)"])
            throw Problem.unavailable
        } catch {
            context.logger.notice("token refused", metadata: ["reason": "\(error)"])
            throw Problem.unauthorized("the bearer token is not valid")
        }
        var context = context
        context.principal = bearer.principal
        context.session = bearer.session
        context.logger[metadataKey: "subject"] = .string(bearer.principal.subject)
        // a mesh daemon acting for a person: the person's authority applies, not the service's
        if let header = request.headers[.onBehalfOf] {
            guard bearer.principal.role == .service else { throw Problem.forbidden("only a mesh service acts on behalf of a person") }
            guard let person = Principal(onBehalfValue: header) else {
                throw Problem.badRequest("\(Principal.onBehalfHeader) must name a person: subject role scope [agency]")
            }
            context.principal = person
            context.logger[metadataKey: "on_behalf_of"] = .string(person.subject)
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let onBehalfOf = HTTPField.Name(Principal.onBehalfHeader)!
}

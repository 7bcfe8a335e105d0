import Foundation
import HTTPTypes
import Hummingbird

/// One operation a daemon serves: its route and its OpenAPI description, declared together so
/// `/openapi.json` describes exactly what is served.
public struct APIOperation: Sendable {
    public struct Parameter: Sendable {
        public let name: String
        public let location: String  // "path" | "query" | "header"
        public let schema: JSONValue
        public let required: Bool
        public let description: String?

        public static func path(_ name: String, _ schema: JSONValue = Schema.string(), _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "path", schema: schema, required: true, description: description)
        }
        public static func query(_ name: String, _ schema: JSONValue = Schema.string(), _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "query", schema: schema, required: false, description: description)
        }
        public static func header(_ name: String, _ schema: JSONValue = Schema.string(), _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "header", schema: schema, required: false, description: description)
        }
    }

    public struct Reply: Sendable {
        public let status: Int
        public let description: String
        public let schema: JSONValue?
        public let contentType: String

        public init(_ status: Int, _ description: String, _ schema: JSONValue? = nil, contentType: String = "application/json") {
            self.status = status
            self.description = description
            self.schema = schema
            self.contentType = contentType
        }
    }

    public let method: HTTPRequest.Method
    /// The path with `{name}` parameters, as OpenAPI and the router both read it.
    public let path: String
    public let id: String
    public let summary: String
    public let tag: String
    public let access: Access
    public let parameters: [Parameter]
    public let body: JSONValue?
    public let replies: [Reply]

    public init(
        _ method: HTTPRequest.Method, _ path: String, id: String, summary: String, tag: String, access: Access,
        parameters: [Parameter] = [], body: JSONValue? = nil, replies: [Reply]
    ) {
        self.method = method
        self.path = path
        self.id = id
        self.summary = summary
        self.tag = tag
        self.access = access
        self.parameters = parameters
        self.body = body
        self.replies = replies
    }
}

/// The routes of a daemon. Each `add` registers the handler on the router (behind authentication
/// when the operation says so) and records the operation for the OpenAPI document.
public final class APIRoutes: @unchecked Sendable {
    public typealias Context = DaemonRequestContext
    let router: Router<Context>
    private let protected: RouterGroup<Context>
    public private(set) var operations: [APIOperation] = []

    init(router: Router<Context>, verifier: TokenVerifier) {
        self.router = router
        self.protected = router.group().add(middleware: AuthMiddleware(verifier: verifier))
    }

    /// Registers `handler`. A bearer-only operation is guarded here: the token is verified and the
    /// role admitted before the handler runs. A `.bearerOrKey` handler resolves the token itself and
    /// passes the principal through `operation.access.admit`.
    public func add(_ operation: APIOperation, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        operations.append(operation)
        if operation.access.isBearerOnly {
            let access = operation.access
            protected.on(RouterPath(operation.path), method: operation.method) { request, context in
                _ = try access.admit(try context.authenticated())
                return try await handler(request, context)
            }
        } else {
            router.on(RouterPath(operation.path), method: operation.method, use: handler)
        }
    }
}

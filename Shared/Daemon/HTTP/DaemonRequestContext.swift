import Foundation
import GridCore
import Hummingbird
import Synchronization

/// The per-request context of every daemon: the request id and, once authenticated, who is asking.
public struct DaemonRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The body cap, process-wide: set from `GRIDMESH_MAX_BODY_BYTES` before the server starts.
    public var maxUploadSize: Int { BodyLimit.bytes.load(ordering: .relaxed) }

    /// The authenticated principal, or 401.
    public func authenticated() throws -> Principal {
        guard let principal else { throw Problem.unauthorized("a bearer token is required") }
        return principal
    }
}

extension DaemonRequestContext {
    /// A path parameter that must be a UUID; 400 naming it otherwise.
    public func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.badRequest("\(name) is not a UUID", errors: [.init(field: name, message: "must be a UUID")])
        }
        return id
    }
}

public enum BodyLimit {
    public static let bytes = Atomic<Int>(1 << 20)
}

import Foundation
import GridCore
import HTTPTypes
import Hummingbird
import Synchronization

/// The per-request context of every daemon: the request id and, once authenticated, who is asking.
public struct DaemonRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var principal: Principal?
    /// The sign-in session of the bearer token (`sid`), when it came from one.
    public var session: String?
    /// The address the connection came from (a proxy's, behind nginx; see `clientAddress`).
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The client's address: the connection's, or — when the connection comes from one of
    /// `trustedProxies` — the last address the proxy appended to `X-Forwarded-For`.
    public func clientAddress(of request: Request, trustedProxies: Set<String>) -> String {
        let peer = peerAddress ?? "unknown"
        guard trustedProxies.contains(peer), let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return last
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

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

public enum BodyLimit {
    public static let bytes = Atomic<Int>(1 << 20)
}

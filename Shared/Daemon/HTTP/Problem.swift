import Foundation
import Hummingbird

/// An RFC 9457 problem: what every error response of the mesh is, as `application/problem+json`.
/// `type` is stable per error code so clients can branch on it; `instance` is the request id.
public struct Problem: HTTPResponseError, Sendable {
    public struct FieldError: Codable, Sendable, Equatable {
        public let field: String
        public let message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public let status: HTTPResponse.Status
    /// The stable error code; the `type` URI is built from it.
    public let code: String
    public let title: String
    public let detail: String?
    public var errors: [FieldError]
    public var headers: HTTPFields
    /// An OAuth 2.0 endpoint's error (RFC 6749 §5.2): `code` is also written as `error`, and the
    /// detail as `error_description`, which OAuth clients read.
    public var isOAuth = false

    public init(_ status: HTTPResponse.Status, code: String, title: String, detail: String? = nil, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public static let typeBase = "https://gridmesh.example/problems/"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        problemResponse(requestID: (context as? DaemonRequestContext)?.requestID)
    }

    func problemResponse(requestID: String?) -> Response {
        let body = Body(
            type: Problem.typeBase + code, title: title, status: Int(status.code), detail: detail, instance: requestID.map { "urn:request:\($0)" },
            errors: errors.isEmpty ? nil : errors, error: isOAuth ? code : nil, error_description: isOAuth ? detail : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let instance: String?
        let errors: [FieldError]?
        let error: String?
        let error_description: String?
    }
}

extension Problem {
    public static func badRequest(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.badRequest, code: "bad-request", title: "The request is not valid", detail: detail, errors: errors)
    }

    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent, code: "validation", title: "Some fields are not valid",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    /// An OAuth 2.0 endpoint's error (RFC 6749 §5.2): `error` is the code, and the body carries it
    /// as `error` and `error_description` too.
    public static func oauth(_ error: String, _ detail: String, title: String, status: HTTPResponse.Status = .badRequest) -> Problem {
        var problem = Problem(status, code: error, title: title, detail: detail)
        problem.isOAuth = true
        return problem
    }

    public static func notFound(_ detail: String = "No such resource") -> Problem {
        Problem(.notFound, code: "not-found", title: "Not found", detail: detail)
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, code: "unauthorized", title: "Authentication required", detail: detail, headers: [.wwwAuthenticate: "Bearer realm=\"gridmesh\""])
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, code: "forbidden", title: "Not allowed", detail: detail)
    }

    public static func conflict(_ code: String, _ detail: String) -> Problem {
        Problem(.conflict, code: code, title: "Conflict", detail: detail)
    }

    public static func tooMany(_ code: String, _ detail: String, retryAfterSeconds: Int) -> Problem {
        Problem(.tooManyRequests, code: code, title: "Too many requests", detail: detail, headers: [.retryAfter: String(retryAfterSeconds)])
    }

    public static func tooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, code: "too-large", title: "The request body is too large", detail: "at most \(limit) bytes are accepted")
    }

    public static let unavailable = Problem(
        .serviceUnavailable, code: "unavailable", title: "Temporarily unavailable", detail: "try again shortly", headers: [.retryAfter: "1"])

    public static let internalError = Problem(
        .internalServerError, code: "internal", title: "Internal error", detail: "the error was logged with this request's id")
}

import Foundation
import GridCore
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import Postgres

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-Id")!
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    public static let webhookID = HTTPField.Name("webhook-id")!
    public static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    public static let webhookSignature = HTTPField.Name("webhook-signature")!
}

/// The outermost middleware: gives each request an id (the caller's `X-Request-Id`, if sane, with a
/// unique part made here),
/// turns every error into problem+json, logs failures and counts requests per route and status.
/// Client input never yields a 500: only a bug does, and it is logged with the request id.
public struct RequestMiddleware: RouterMiddleware {
    public typealias Context = DaemonRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = Self.requestID(caller: request.headers[.requestID])
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.problem(for: error, logger: context.logger).problemResponse(requestID: requestID)
        }
        response.headers[.requestID] = requestID
        let route = context.endpointPath ?? "unmatched"
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        Counter(label: "gridmesh_http_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "gridmesh_http_request_duration_seconds", dimensions: [("route", route)], preferredDisplayUnit: .seconds)
            .recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return response
    }

    /// The request's id: the caller's (when sane) for tracing, qualified with a part made here, so
    /// what the audit log and the logs record is unique to this request whatever the caller chose.
    static func requestID(caller: String?) -> String {
        let own = UUID.v7().uuidString.lowercased()
        guard let caller = acceptableID(caller) else { return own }
        return caller + "." + own.suffix(12)
    }

    static func acceptableID(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return nil }
        return value
    }

    /// Maps any error to the problem the client sees.
    public static func problem(for error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case is NIOTooManyBytesError:
            return .tooLarge(limit: BodyLimit.bytes.load(ordering: .relaxed))
        case let error as DecodingError:
            return .badRequest("the body is not the expected JSON", errors: [DecodingProblem.fieldError(error)])
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound()
            case .methodNotAllowed: return Problem(.methodNotAllowed, code: "method-not-allowed", title: "Method not allowed")
            case .contentTooLarge: return .tooLarge(limit: BodyLimit.bytes.load(ordering: .relaxed))
            case .unauthorized: return .unauthorized(error.body ?? "authentication required")
            default:
                if error.status.code < 500 {
                    return Problem(
                        error.status, code: error.status.code == 400 ? "bad-request" : "http-\(error.status.code)", title: error.status.reasonPhrase,
                        detail: error.body)
                }
            }
        case let error as PostgresError where error.code == .poolTimeout || error.isConnectionLoss:
            logger.warning("database unavailable", metadata: ["error": "\(error)"])
            return .unavailable
        case let error as PostgresError where error.isRefusedValue:
            // the transaction rolled back: nothing changed; a validation the schema has and the code lacks
            logger.warning("a value the schema refuses got past validation", metadata: ["error": "\(error)"])
            return .validation([.init(field: error.column ?? "body", message: "a value is outside what is accepted")])
        case let error as PostgresError where error.code == .queryCanceled:
            logger.warning("statement timed out", metadata: ["error": "\(error)"])
            return .unavailable
        default:
            break
        }
        logger.error("unhandled error", metadata: ["error": "\(error)"])
        return .internalError
    }
}

enum DecodingProblem {
    static func fieldError(_ error: DecodingError) -> Problem.FieldError {
        func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : snakeCase(text.replacingOccurrences(of: ".[", with: "["))
        }
        switch error {
        case .keyNotFound(let key, let context): return .init(field: path(context, key), message: "is required")
        case .valueNotFound(_, let context): return .init(field: path(context), message: "must not be null")
        case .typeMismatch(let type, let context): return .init(field: path(context), message: "must be \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .init(field: "body", message: "is not valid JSON") }
            return .init(field: path(context), message: context.debugDescription)
        @unknown default: return .init(field: "body", message: "is not valid")
        }
    }

    /// Field names back in the API's snake_case (the decoder converted them to Swift's camelCase).
    static func snakeCase(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

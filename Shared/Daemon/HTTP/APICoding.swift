import Foundation
import GridCore
import Hummingbird
import Postgres

/// JSON as the API speaks it: snake_case names (as Open311), RFC 3339 times.
public enum APICoding {
    public static func encoder() -> JSONEncoder { WireJSON.encoder() }
    public static func decoder() -> JSONDecoder { WireJSON.decoder() }

    /// Decodes the request body (capped by the context's body limit) as `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: DaemonRequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("a JSON body is required", errors: [.init(field: "body", message: "is required")]) }
        return try decoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// A JSON response.
    public static func response(_ status: HTTPResponse.Status = .ok, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder().encode(value))))
    }
}

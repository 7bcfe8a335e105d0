import Foundation
import Hummingbird

/// Keyset pagination: `limit` (1…200, default 50) and an opaque `cursor` naming the last row seen
/// by its sort time and id.
public enum Pagination {
    public static func limit(_ request: Request, default value: Int = 50) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return value }
        guard let limit = Int(text), (1...200).contains(limit) else {
            throw Problem.badRequest("limit must be an integer from 1 to 200", errors: [.init(field: "limit", message: "must be 1 to 200")])
        }
        return limit
    }

    public static func cursor(_ request: Request) throws -> (Date, UUID)? {
        guard let text = request.uri.queryParameters.get("cursor") else { return nil }
        guard let decoded = base64URLDecode(text), let separator = decoded.firstIndex(of: "|"),
            let micros = Int64(decoded[..<separator]), let id = UUID(uuidString: String(decoded[decoded.index(after: separator)...]))
        else { throw Problem.badRequest("the cursor is not one this server made", errors: [.init(field: "cursor", message: "is not valid")]) }
        return (Date(timeIntervalSince1970: Double(micros) / 1e6), id)
    }

    public static func encode(_ date: Date, _ id: UUID) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        return Data("\(micros)|\(id.uuidString.lowercased())".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }
}

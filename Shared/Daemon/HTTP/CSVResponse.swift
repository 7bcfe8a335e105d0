import Foundation
import Hummingbird

/// CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel shows Chinese), CRLF line ends,
/// every field quoted when it needs to be (RFC 4180).
public enum CSVResponse {
    public static func make(header: [String], rows: [[String]], filename: String) -> Response {
        var text = "\u{FEFF}"
        for line in [header] + rows {
            text += line.map(field).joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func field(_ value: String) -> String {
        // a leading =, +, - or @ (or a tab or carriage return before one) would be a formula in a
        // spreadsheet: quote it as text
        let risky = value.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
        guard risky || value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + (risky ? "'" : "") + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether the client asked for CSV (`?format=csv` or `Accept: text/csv`).
    public static func wanted(_ request: Request) -> Bool {
        request.uri.queryParameters.get("format") == "csv" || (request.headers[.accept]?.contains("text/csv") ?? false)
    }
}

import Hummingbird

/// Printable pages (bulletins, reviews, boards): A4, no scripts, every value escaped, served with
/// a content security policy that allows nothing but inline style.
public enum HTMLPage {
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A table of escaped cells, or a "none" line when there are no rows.
    public static func table(_ headers: [String], _ rows: [[String]], none: String = "无") -> String {
        guard !rows.isEmpty else { return "<p class=\"none\">\(escape(none))</p>" }
        let head = "<tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        return "<table>\(head)\n" + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</table>"
    }

    /// A whole page around `body` (already escaped HTML).
    public static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        @page { size: A4; margin: 18mm } body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 11pt; color: #111 }
        h1 { font-size: 18pt; text-align: center } h2 { font-size: 13pt; border-bottom: 1px solid #333; margin-top: 18pt }
        table { width: 100%; border-collapse: collapse } td, th { border: 1px solid #999; padding: 3pt 5pt; text-align: left } .none { color: #555 }
        </style></head><body>
        \(body)
        </body></html>
        """
    }

    /// True when the client asked for the page: `format=html` or an `Accept` preferring HTML.
    public static func wanted(_ request: Request) -> Bool {
        request.uri.queryParameters.get("format") == "html" || (request.headers[.accept]?.contains("text/html") ?? false)
    }

    public static func response(_ html: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

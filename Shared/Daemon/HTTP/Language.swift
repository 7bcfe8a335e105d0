import Foundation
import Hummingbird

/// Labels are zh-CN by default and English when the client asks for it first.
public enum Language {
    public static func prefersEnglish(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptLanguage] else { return false }
        let first = header.split(separator: ",").first.map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return first == "en" || first.hasPrefix("en-")
    }
}

import Foundation

/// One operation of a daemon's OpenAPI document, with what the matrix needs to call it: the
/// method, the path with its parameters filled, a body built from the request schema, and the
/// declared access (`x-gridmesh-access`).
struct OperationCall {
    let daemon: String
    let method: String
    let template: String
    let id: String
    let credential: String
    let roles: Set<String>
    let body: String?
    /// The first allowed value of each path parameter with an enum.
    let choices: [String: String]

    /// Every operation of `document`; nil members where the document lacks a declaration.
    static func all(daemon: String, document: [String: Any]) -> [OperationCall?] {
        let paths = (document["paths"] as? [String: [String: Any]]) ?? [:]
        return paths.sorted { $0.key < $1.key }.flatMap { path, methods in
            methods.sorted { $0.key < $1.key }.map { method, value -> OperationCall? in
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String,
                    let access = operation["x-gridmesh-access"] as? [String: Any], let credential = access["credential"] as? String
                else { return nil }
                let schema =
                    ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])
                    .flatMap { $0["application/json"] as? [String: Any] }?["schema"] as? [String: Any]
                var choices: [String: String] = [:]
                for parameter in (operation["parameters"] as? [[String: Any]]) ?? [] {
                    if let name = parameter["name"] as? String, let first = ((parameter["schema"] as? [String: Any])?["enum"] as? [String])?.first {
                        choices[name] = first
                    }
                }
                return OperationCall(
                    daemon: daemon, method: method.uppercased(), template: path, id: id, credential: credential,
                    roles: Set((access["roles"] as? [String]) ?? []), body: schema.map { Self.serialise(Self.example(of: $0)) }, choices: choices)
            }
        }
    }

    var name: String { "\(daemon) \(method) \(template)" }
    var isRead: Bool { method == "GET" }
    var takesBearer: Bool { credential == "bearer" || credential == "bearerOrKey" }

    /// The path with each `{parameter}` replaced: an id of `ours` where the segment before it names
    /// a record the matrix made (a Shuiguohu finding, meeting, …), otherwise a plausible value.
    /// `namesOurRecord`: some parameter is a Shuiguohu record; `onlyOurs`: every id parameter is one.
    func path(ours: [String: String]) -> (path: String, namesOurRecord: Bool, onlyOurs: Bool) {
        var segments: [String] = []
        var namesOurRecord = false
        var onlyOurs = true
        for segment in template.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
            guard segment.hasPrefix("{"), let close = segment.firstIndex(of: "}") else {
                segments.append(segment)
                continue
            }
            let name = String(segment.dropFirst().prefix(upTo: close))
            let suffix = String(segment[segment.index(after: close)...])
            let value: String
            switch (name, choices[name]) {
            case (_, let choice?): value = choice
            case ("street", _):
                value = "shuiguohu"
                namesOurRecord = true
            case ("id", _):
                let collection = segments.last ?? ""
                let record = collection == "requests" ? ours["findings"] : ours[collection]
                value = record ?? UUID().uuidString.lowercased()
                namesOurRecord = namesOurRecord || record != nil
                onlyOurs = onlyOurs && record != nil
            case ("gate", _): value = "inspection"
            case ("campaign", _): value = "survey"
            case ("item", _): value = template.contains("support-items") ? "employment" : "candidate_pool"
            case ("sha256", _):
                value = String(repeating: "0", count: 64)
                onlyOurs = false
            case ("code", _): value = "environmental_sanitation"
            case ("agency", _): value = "shuiguohu%2Fcity_management"
            default: value = "x"
            }
            segments.append(value + suffix)
        }
        return (segments.joined(separator: "/"), namesOurRecord, namesOurRecord && onlyOurs)
    }

    /// A value the schema accepts in shape: required members filled, enums at their first value,
    /// ids fresh, times an hour ahead on the mesh clock.
    static func example(of schema: [String: Any]) -> Any {
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        if let options = schema["anyOf"] as? [[String: Any]], let first = options.first { return example(of: first) }
        switch schema["type"] as? String {
        case "object":
            let properties = (schema["properties"] as? [String: [String: Any]]) ?? [:]
            var object: [String: Any] = [:]
            for name in (schema["required"] as? [String]) ?? [] { object[name] = properties[name].map { example(of: $0) } ?? "x" }
            return object
        case "array": return []
        case "integer", "number":
            return (schema["minimum"] as? Double).map { max($0, 1) } ?? 1
        case "boolean": return false
        default:
            switch schema["format"] as? String {
            case "uuid": return UUID().uuidString.lowercased()
            case "date-time": return TestClock.rfc3339(3600)
            case "date": return TestClock.today.adding(days: 1).description
            default: return "矩阵"
            }
        }
    }

    static func serialise(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

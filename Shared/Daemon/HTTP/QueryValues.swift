import Hummingbird

/// Query parameters of a closed set of values, refused with a 400 that names the field otherwise.
public enum QueryValues {
    /// The value of `name` if it is one of `allowed`; nil when absent.
    public static func oneOf(_ name: String, _ allowed: [String], in request: Request) throws -> String? {
        guard let value = request.uri.queryParameters.get(name) else { return nil }
        guard allowed.contains(value) else {
            throw Problem.badRequest(
                "\(name) must be one of \(allowed.joined(separator: ", "))", errors: [.init(field: name, message: "not one of the allowed values")])
        }
        return value
    }

    /// `true` or `false`; `false` when absent.
    public static func flag(_ name: String, in request: Request) throws -> Bool {
        try oneOf(name, ["true", "false"], in: request) == "true"
    }
}

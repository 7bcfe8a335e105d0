import Foundation

/// Builds the OpenAPI 3.1 document of a daemon from the operations it registered.
enum OpenAPIDocument {
    static func build(title: String, version: String, description: String, operations: [APIOperation]) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for operation in operations {
            let entry = (operation.method.rawValue.lowercased(), describe(operation))
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1.append(entry)
            } else {
                paths.append((operation.path, [entry]))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": .string(title), "version": .string(version), "description": .string(description)],
            "paths": .object(paths.map { ($0.0, .object($0.1)) }),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": ["Problem": Schema.problem],
            ],
        ]
    }

    static func describe(_ operation: APIOperation) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(operation.id)), ("summary", .string(operation.summary)), ("tags", [.string(operation.tag)]),
        ]
        if !operation.parameters.isEmpty {
            members.append(
                (
                    "parameters",
                    .array(
                        operation.parameters.map { parameter in
                            var fields: [(String, JSONValue)] = [
                                ("name", .string(parameter.name)), ("in", .string(parameter.location)), ("required", .bool(parameter.required)),
                                ("schema", parameter.schema),
                            ]
                            if let description = parameter.description { fields.append(("description", .string(description))) }
                            return .object(fields)
                        })
                ))
        }
        if let body = operation.body {
            members.append(("requestBody", ["required": true, "content": ["application/json": ["schema": body]]]))
        }
        var replies: [(String, JSONValue)] = operation.replies.map { reply in
            var fields: [(String, JSONValue)] = [("description", .string(reply.description))]
            if let schema = reply.schema { fields.append(("content", .object([(reply.contentType, .object([("schema", schema)]))]))) }
            return (String(reply.status), .object(fields))
        }
        var problems = [400, 413, 422, 503]
        switch operation.access.credential {
        case .none: break
        case .capability: problems.append(404)
        case .bearer, .bearerOrKey, .signature: problems += [401, 403]
        }
        for status in problems.sorted() where !replies.contains(where: { $0.0 == String(status) }) {
            replies.append((String(status), ["description": "Problem", "content": ["application/problem+json": ["schema": Schema.ref("Problem")]]]))
        }
        members.append(("responses", .object(replies)))
        if operation.access.takesToken { members.append(("security", [["bearer": []]])) }
        members.append(("x-gridmesh-access", operation.access.document))
        return .object(members)
    }
}

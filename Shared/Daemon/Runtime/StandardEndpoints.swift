import Foundation
import Hummingbird
import Postgres
import Prometheus

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`: the same on every daemon.
enum StandardEndpoints {
    struct Readiness: Encodable {
        let status: String
        let database: String
        let listener: String
        let schemaVersion: Int?
    }

    static func register(
        on router: Router<DaemonRequestContext>, definition: DaemonDefinition, routes: APIRoutes, pool: PostgresPool,
        listener: PostgresListener, registry: PrometheusCollectorRegistry
    ) {
        let standard: [APIOperation] = [
            APIOperation(
                .get, "/healthz", id: "healthz", summary: "The process is alive", tag: "operations", access: .anyone,
                replies: [.init(200, "Alive", Schema.object([("status", Schema.string())]))]),
            APIOperation(
                .get, "/readyz", id: "readyz", summary: "Database reachable, listener connected, schema current", tag: "operations",
                access: .anyone, replies: [.init(200, "Ready", readinessSchema), .init(503, "Not ready", readinessSchema)]),
            APIOperation(
                .get, "/metrics", id: "metrics", summary: "Prometheus metrics", tag: "operations", access: .anyone,
                replies: [.init(200, "Metrics in the Prometheus text format", Schema.string(), contentType: "text/plain")]),
            APIOperation(
                .get, "/openapi.json", id: "openapi", summary: "This document", tag: "operations", access: .anyone,
                replies: [.init(200, "OpenAPI 3.1", ["type": "object"])]),
        ]
        let document = OpenAPIDocument.build(
            title: definition.title, version: "\(definition.schemaVersion)", description: definition.summary,
            operations: standard + routes.operations)
        // OpenAPI's own keys are camelCase (operationId, requestBody): not through the API's snake_case encoder
        let documentEncoder = JSONEncoder()
        documentEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let documentBytes = (try? documentEncoder.encode(document)) ?? Data()

        router.get("/healthz") { _, _ in try APICoding.response(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in
            let schema = definition.schema
            let version = try? await pool.withConnection { try Migrator.appliedVersion(of: schema, on: $0) }
            let databaseOK = version.map { $0 >= definition.schemaVersion } ?? false
            let ready = databaseOK && listener.isConnected
            let body = Readiness(
                status: ready ? "ready" : "not_ready", database: version == nil ? "unreachable" : (databaseOK ? "ok" : "schema_behind"),
                listener: listener.isConnected ? "connected" : "disconnected", schemaVersion: version)
            return try APICoding.response(ready ? .ok : .serviceUnavailable, body)
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let text = MetricHelp.annotate(String(decoding: buffer, as: UTF8.self))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: documentBytes)))
        }
    }

    static let readinessSchema = Schema.object(
        [
            ("status", Schema.string(enum: ["ready", "not_ready"])), ("database", Schema.string(enum: ["ok", "unreachable", "schema_behind"])),
            ("listener", Schema.string(enum: ["connected", "disconnected"])), ("schema_version", Schema.nullable(Schema.integer())),
        ], required: ["status", "database", "listener"])
}

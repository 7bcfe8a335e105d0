import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/registry/checks`: vettingd's hit/no-hit question.
enum RegistryRoutes {
    static func register(on routes: APIRoutes, registry: RegistryCheck) {
        routes.add(
            APIOperation(
                .post, "/v1/registry/checks", id: "registryCheck",
                summary: "Is there an open or retained case for this ID-number HMAC? Answers hit or no hit, nothing else (vetting service only; audited)",
                tag: "registry", access: .roles(.service),
                body: Schema.object(
                    [("id_number_hmac", Schema.string("hex HMAC-SHA256 of the ID number under the shared lookup key"))], required: ["id_number_hmac"]),
                replies: [.init(200, "The answer", Schema.object([("hit", Schema.boolean)])), .init(403, "Not the vetting service")])
        ) { request, context in
            let principal = try context.authenticated()
            let body = try await APICoding.decode(HitCheck.Question.self, from: request, context: context)
            return try APICoding.response(
                .ok, HitCheck.Answer(hit: try await registry.check(lookupHash: body.idNumberHmac, by: principal, requestID: context.requestID)))
        }
    }
}

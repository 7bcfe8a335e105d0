import Daemon
import Foundation
import GridCore
import Hummingbird
import Postgres
import Webhooks

/// `/v1/callbacks/agencies/{agency}/progress`: an agency's back-office reports progress on a finding
/// dispatched to it, signed as Standard Webhooks with the agency's secret.
enum CallbackRoutes {
    struct Progress: Decodable {
        let findingId: UUID
        let action: FindingAction
        let reason: String?
    }

    static func register(on routes: APIRoutes, store: FindingStore, receiver: String, sealer: SecretSealer) {
        routes.add(
            APIOperation(
                .post, "/v1/callbacks/agencies/{agency}/progress", id: "agencyProgressCallback",
                summary: "An agency reports it started or resolved a finding (Standard Webhooks signature)", tag: "callbacks", access: .signed,
                parameters: [
                    .path("agency", Schema.string("e.g. shuiguohu/city_management, URL-encoded")), .header("webhook-id"),
                    .header("webhook-timestamp"), .header("webhook-signature"),
                ],
                body: Schema.object(
                    [("finding_id", Schema.uuid), ("action", Schema.string(enum: ["start", "resolve"])), ("reason", Schema.string(maxLength: 1000))],
                    required: ["finding_id", "action"]),
                replies: [
                    .init(200, "The finding after the step", PatrolSchemas.finding), .init(401, "Not signed by the agency"),
                    .init(409, "A replayed webhook id, or a step not allowed now"),
                ])
        ) { request, context in
            guard let agency = context.parameters.get("agency")?.removingPercentEncoding, agency.length <= 100,
                let principal = SignedCallback.principal(agency: agency)
            else { throw Problem.notFound("no such agency") }
            let secrets = try await store.pool.withConnection { connection in
                try connection.query("SELECT secrets FROM patrol.agency_callbacks WHERE agency_code = $1", [agency]).first.map {
                    try $0.decode([String].self, at: 0)
                }
            }
            let (body, webhookID) = try await SignedCallback.verify(request, context: context, agency: agency, sealed: secrets, sealer: sealer)
            let progress = try SignedCallback.decode(Progress.self, from: body)
            guard progress.action == .start || progress.action == .resolve else {
                throw Problem.validation([.init(field: "action", message: "an agency reports start or resolve")])
            }
            let request = TransitionRequest(
                action: progress.action, reason: progress.reason, agencyCode: nil, deadlineWorkingDays: nil, mergeInto: nil, patrolId: nil)
            do {
                let finding = try await store.perform(request, on: progress.findingId, by: principal) { connection in
                    try InboundWebhooks.recordDelivery(receiver: receiver, id: webhookID, at: Date(), on: connection)
                }
                return try APICoding.response(.ok, finding)
            } catch InboundWebhooks.Refusal.replayed {
                throw Problem.conflict("replayed", "this webhook-id was received before")
            }
        }
    }
}

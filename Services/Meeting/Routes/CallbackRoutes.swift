import Daemon
import Foundation
import GridCore
import Hummingbird
import Webhooks

/// `/v1/callbacks/agencies/{agency}/action-items`: an agency's back office reports an action item
/// it owns done, with evidence, signed as Standard Webhooks with the agency's secret.
enum CallbackRoutes {
    struct Done: Decodable {
        let actionItemId: UUID
        let evidence: String
    }

    static func register(on routes: APIRoutes, store: MeetingStore, receiver: String, sealer: SecretSealer) {
        routes.add(
            APIOperation(
                .post, "/v1/callbacks/agencies/{agency}/action-items", id: "agencyActionItemCallback",
                summary: "An agency reports an action item it owns done, with evidence (Standard Webhooks signature)", tag: "callbacks",
                access: .signed,
                parameters: [
                    .path("agency", Schema.string("e.g. shuiguohu/city_management, URL-encoded")), .header("webhook-id"), .header("webhook-timestamp"),
                    .header("webhook-signature"),
                ],
                body: Schema.object(
                    [("action_item_id", Schema.uuid), ("evidence", Schema.string(maxLength: 2000))], required: ["action_item_id", "evidence"]),
                replies: [
                    .init(200, "The action item, done", ["type": "object"]), .init(401, "Not signed by the agency"),
                    .init(409, "A replayed webhook id, or not open"),
                ])
        ) { request, context in
            guard let agency = context.parameters.get("agency")?.removingPercentEncoding, agency.length <= 100,
                let principal = SignedCallback.principal(agency: agency)
            else { throw Problem.notFound("no such agency") }
            let secrets = try await store.pool.withConnection { connection in
                try connection.query("SELECT secrets FROM meeting.agency_callbacks WHERE agency_code = $1", [agency]).first.map {
                    try $0.decode([String].self, at: 0)
                }
            }
            let (body, webhookID) = try await SignedCallback.verify(request, context: context, agency: agency, sealed: secrets, sealer: sealer)
            let done = try SignedCallback.decode(Done.self, from: body)
            do {
                let item = try await store.step(
                    done.actionItemId, MeetingStore.ActionItemStep(change: "done", evidence: done.evidence, reason: nil, deadline: nil), by: principal
                ) { connection in
                    try InboundWebhooks.recordDelivery(receiver: receiver, id: webhookID, at: Date(), on: connection)
                }
                return try APICoding.response(.ok, item)
            } catch InboundWebhooks.Refusal.replayed {
                throw Problem.conflict("replayed", "this webhook-id was received before")
            }
        }
    }
}

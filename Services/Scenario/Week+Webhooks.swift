import Foundation

/// The back offices' subscriptions, and what reached them.
extension ShuiguohuWeek {
    /// The squad's back office and the district platform subscribe (as the district administrator
    /// does for them); an archive hook takes every event of every daemon, so the week can show
    /// what crossed the mesh. The receiver is told the secrets.
    func subscribeBackOffices() async throws {
        let squad = "shuiguohu/city_management"
        let subscriptions: [(daemon: String, url: String, hook: String, topics: [String], agency: String?)] =
            [
                ("patrold", mesh.patrold, "city-management", ["finding.dispatched", "finding.resolved", "finding.closed"], squad),
                ("meetingd", mesh.meetingd, "city-management", ["action_item.*", "rectification.*"], squad),
                ("meetingd", mesh.meetingd, "district-platform", ["bulletin.published"], nil),
                ("vettingd", mesh.vettingd, "district-platform", ["cycle.*"], nil),
            ] + mesh.daemons.map { ($0.name, $0.url, "archive", ["*"], nil) }
        for subscription in subscriptions {
            let url = "\(mesh.receiver)/hooks/\(subscription.hook)"
            let existing = try await get("\(subscription.url)/v1/webhooks", cast.admin).array
            guard !existing.contains(where: { $0["url"].string == url && $0["state"].string == "active" }) else { continue }
            let topics = subscription.topics.map { "\"\($0)\"" }.joined(separator: ",")
            let agency = subscription.agency.map { #","agency_code":"\#($0)""# } ?? ""
            let body = #"{"id":"\#(UUID().uuidString.lowercased())","url":"\#(url)","topics":[\#(topics)]\#(agency)}"#
            let created = try await call("POST", "\(subscription.url)/v1/webhooks", cast.admin, body, expect: 201)
            guard let secret = created.json["secret"].string else { throw ScenarioFailure(step: step, expectation: "a new endpoint shows its secret") }
            receiverSecrets.append(secret)
        }
        let secrets = receiverSecrets.map { "\"\($0)\"" }.joined(separator: ",")
        try await call("POST", "\(mesh.receiver)/control", nil, #"{"secrets":[\#(secrets)]}"#, expect: 204)
        settings.subscribed(receiverSecrets)
        say("the squad's back office and the district platform subscribe to the mesh's webhooks")
    }

    /// Notes a delivery the week has caused; checks it now unless the receiver may be away.
    func expectDelivery(_ hook: String, _ topic: String, about subject: String) async throws {
        let delivery = ExpectedDelivery(hook: hook, topic: topic, subject: subject.lowercased())
        expectedDeliveries.append(delivery)
        guard settings.deliveriesAtEachStep else { return }
        do {
            try await eventually("\(hook) receives \(topic)") { try await received().contains { matches($0, delivery) } }
        } catch let failure as ScenarioFailure {
            let got = try await received().map { "\($0["name"].string ?? "") \($0["type"].string ?? "")" }
            throw ScenarioFailure(step: failure.step, expectation: "\(failure.expectation) (received: \(got))")
        }
        say("→ \(hook) received a signed \(topic) webhook")
    }

    func received() async throws -> [JSON] {
        try await call("GET", "\(mesh.receiver)/received", nil, expect: 200).json.array
    }

    func matches(_ record: JSON, _ delivery: ExpectedDelivery) -> Bool {
        record["name"].string == delivery.hook && record["type"].string == delivery.topic
            && (record["body"].string?.lowercased().contains(delivery.subject) ?? false)
    }
}

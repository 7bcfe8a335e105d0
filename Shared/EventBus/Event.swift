import Foundation
import GridCore
import Postgres

/// A fact one daemon tells the others: a topic such as `finding.submitted` and a small payload of ids.
/// Payloads never carry personal data.
public struct Event: Sendable {
    public let id: UUID
    public let topic: String
    public let source: String
    public let occurredAt: Date
    public let payload: JSONB

    public init(id: UUID, topic: String, source: String, occurredAt: Date, payload: JSONB) {
        self.id = id
        self.topic = topic
        self.source = source
        self.occurredAt = occurredAt
        self.payload = payload
    }

    public init(topic: String, source: String, occurredAt: Date = Date(), payload: some Encodable) throws {
        let json = try WireJSON.encoder().encode(payload)
        self.init(id: .v7(at: occurredAt), topic: topic, source: source, occurredAt: occurredAt, payload: JSONB(text: String(decoding: json, as: UTF8.self)))
    }

    public func decodePayload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try WireJSON.decoder().decode(type, from: Data(payload.text.utf8))
    }
}

/// The NOTIFY channel that wakes one subscriber.
public func wakeChannel(for subscriber: String) -> String { "mesh_\(subscriber)" }

/// The NOTIFY channel on which a source's events are announced to its own live feeds, after commit.
public func liveChannel(for source: String) -> String { "mesh_live_\(source)" }

import Foundation
import GridCore
import Postgres

/// Verifies signed callbacks coming in: headers present, timestamp within five minutes, a valid
/// signature by one of the sender's secrets, and a `webhook-id` never seen before by this receiver.
public struct InboundWebhooks: Sendable {
    public static let tolerance: TimeInterval = 300

    public enum Refusal: Error, Equatable, Sendable {
        case missingHeaders
        case staleTimestamp
        case badSignature
        case replayed
    }

    /// Checks everything but the replay, which `recordDelivery` settles inside the handling transaction.
    public static func verify(
        id: String?, timestamp: String?, signature: String?, body: [UInt8], secrets: [String], now: Date
    ) throws(Refusal) -> String {
        guard let id, !id.isEmpty, id.count <= 200, let timestamp, let seconds = Int(timestamp), let signature else { throw .missingHeaders }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .staleTimestamp }
        guard WebhookSignature.isValid(header: signature, id: id, timestamp: seconds, body: body, secrets: secrets) else { throw .badSignature }
        return id
    }

    /// Records the webhook id for this receiver in the caller's transaction; a second arrival is a replay.
    public static func recordDelivery(receiver: String, id: String, at time: Date, on connection: PostgresConnection) throws {
        let inserted = try connection.execute(
            "INSERT INTO mesh.inbound_webhooks (receiver, webhook_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [receiver, id, time])
        if inserted == 0 { throw Refusal.replayed }
    }
}

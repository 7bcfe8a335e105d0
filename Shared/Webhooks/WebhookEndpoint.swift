import Foundation
import Postgres

/// An outside system's subscription to a daemon's events, delivered as signed HTTP callbacks.
public struct WebhookEndpoint: Sendable, Codable, Equatable {
    public let id: UUID
    public let owner: String
    public let url: String
    public let description: String
    public let topics: [String]
    public let agencyCode: String?
    public let state: String
    public let disabledReason: String?
    public let previousSecretExpiresAt: Date?
    public let failingSince: Date?
    public let createdBy: String
    public let createdAt: Date
    public let updatedAt: Date

    static let columns = """
        id, owner, url, description, topics, agency_code, state, disabled_reason, previous_secret_expires_at, failing_since,
        created_by, created_at, updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        owner = try row.decode(at: 1)
        url = try row.decode(at: 2)
        description = try row.decode(at: 3)
        topics = try row.decode(at: 4)
        agencyCode = try row.decode(String?.self, at: 5)
        state = try row.decode(at: 6)
        disabledReason = try row.decode(String?.self, at: 7)
        previousSecretExpiresAt = try row.decode(Date?.self, at: 8)
        failingSince = try row.decode(Date?.self, at: 9)
        createdBy = try row.decode(at: 10)
        createdAt = try row.decode(at: 11)
        updatedAt = try row.decode(at: 12)
    }
}

/// One event's delivery to one endpoint, with its attempts.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    public struct Attempt: Sendable, Codable, Equatable {
        /// 0 for the first delivery, one more for each replay.
        public let round: Int
        public let attempt: Int
        public let at: Date
        public let status: Int?
        public let latencyMs: Int
        public let error: String?
    }

    public let id: Int
    public let endpointId: UUID
    public let eventId: UUID
    public let topic: String
    public let state: String
    public let attempts: Int
    public let nextAttemptAt: Date
    public let lastStatus: Int?
    public let lastError: String?
    public let lastLatencyMs: Int?
    public let deliveredAt: Date?
    public let createdAt: Date
    public var attemptLog: [Attempt] = []

    static let columns = """
        d.id, d.endpoint_id, e.event_id, e.topic, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.last_latency_ms,
        d.delivered_at, d.created_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(at: 0)
        endpointId = try row.decode(at: 1)
        eventId = try row.decode(at: 2)
        topic = try row.decode(at: 3)
        state = try row.decode(at: 4)
        attempts = try row.decode(at: 5)
        nextAttemptAt = try row.decode(at: 6)
        lastStatus = try row.decode(Int?.self, at: 7)
        lastError = try row.decode(String?.self, at: 8)
        lastLatencyMs = try row.decode(Int?.self, at: 9)
        deliveredAt = try row.decode(Date?.self, at: 10)
        createdAt = try row.decode(at: 11)
    }
}

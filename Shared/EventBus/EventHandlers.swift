import Postgres

/// What a subscriber does with each topic. A handler runs inside the transaction that marks its
/// delivery done, so its database effects happen once per event, however often the event arrives.
public struct EventHandlers: Sendable {
    public typealias Handler = @Sendable (Event, PostgresConnection) throws -> Void

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    /// Handles `topic` as published by `source` only: an event of the topic from anyone else (a
    /// role that may not publish it — the database refuses that too) is not handled but fails, so
    /// it ends dead and visible.
    public mutating func on(_ topic: String, from source: String, _ handler: @escaping Handler) {
        handlers[topic] = { event, connection in
            guard event.source == source else { throw UnexpectedSource(topic: topic, expected: source, actual: event.source) }
            try handler(event, connection)
        }
    }

    public struct UnexpectedSource: Error, CustomStringConvertible {
        public let topic: String
        public let expected: String
        public let actual: String
        public var description: String { "\(topic) comes from \(expected), not \(actual): not handled" }
    }

    /// The topics handled, as subscription patterns.
    public var topics: [String] { handlers.keys.sorted() }

    func handler(for topic: String) -> Handler? { handlers[topic] }
}

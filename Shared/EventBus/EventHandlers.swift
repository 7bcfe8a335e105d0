import Postgres

/// What a subscriber does with each topic. A handler runs inside the transaction that marks its
/// delivery done, so its database effects happen once per event, however often the event arrives.
public struct EventHandlers: Sendable {
    public typealias Handler = @Sendable (Event, PostgresConnection) throws -> Void

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func on(_ topic: String, _ handler: @escaping Handler) {
        handlers[topic] = handler
    }

    /// The topics handled, as subscription patterns.
    public var topics: [String] { handlers.keys.sorted() }

    func handler(for topic: String) -> Handler? { handlers[topic] }
}

import EventBus
import Foundation
import GridCore
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// patrold's events as they commit — a new finding, a finding past its deadline, a hotspot — for the
/// console's live board. Woken by the bus's live channel (NOTIFY after commit, on every patrold
/// instance), it reads the new rows of `mesh.events` and hands each to the watchers whose scope
/// covers it. Nothing personal is in these events, and a watcher sees only its own scope.
final class LiveFeed: Service, Sendable {
    static let topics = ["finding.submitted", "finding.overdue", "hotspot.detected"]

    /// One event as a watcher gets it.
    struct Item: Sendable {
        let id: Int
        let topic: String
        let payload: String
    }

    private let pool: PostgresPool
    private let listener: PostgresListener
    private let logger: Logger
    private let state = Mutex(State())

    struct State {
        var watchers: [UUID: (scope: Scope, continuation: AsyncStream<Item>.Continuation)] = [:]
        /// Events are read from a little below the highest id seen: a transaction that took a lower
        /// id may commit after a higher one. `sent` keeps each from going out twice.
        var highest: Int?
        var sent: Set<Int> = []
        /// Each grid's community and street, for the scope of events that name only a grid.
        var places: [String: (community: String, street: String)] = [:]
    }

    init(pool: PostgresPool, listener: PostgresListener, logger: Logger) {
        self.pool = pool
        self.listener = listener
        self.logger = logger
    }

    /// A stream of the events `scope` covers, from now on, until the caller stops reading.
    func watch(_ scope: Scope) -> AsyncStream<Item> {
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(500))
        let id = UUID()
        state.withLock { $0.watchers[id] = (scope, continuation) }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) } }
        return stream
    }

    var watchers: Int { state.withLock { $0.watchers.count } }

    func run() async throws {
        let channel = liveChannel(for: "patrold")
        // on a graceful shutdown the loop ends, and so does every watcher's stream
        for await event in listener.events().cancelOnGracefulShutdown() {
            switch event {
            case .connected: await read()
            case .notification(let name, _) where name == channel: await read()
            case .notification: continue
            }
        }
        state.withLock { state in
            for watcher in state.watchers.values { watcher.continuation.finish() }
        }
    }

    private func read() async {
        do {
            let (from, knowsPlaces) = state.withLock { ($0.highest.map { max(0, $0 - 200) }, !$0.places.isEmpty) }
            let (rows, places) = try await pool.withConnection { connection in
                let places =
                    knowsPlaces
                    ? []
                    : try connection.query(
                        "SELECT g.code, c.code, c.street_code FROM geo.grids g JOIN geo.communities c ON c.code = g.community_code"
                    ).map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1), try $0.decode(String.self, at: 2)) }
                // the first read only learns where "now" is: the board shows what happens from then on
                guard let from else {
                    let top = try connection.query("SELECT coalesce(max(id), 0) FROM mesh.events").first?.decode(Int.self, at: 0) ?? 0
                    return ([Item(id: top, topic: "", payload: "")], places)
                }
                let rows = try connection.query(
                    """
                    SELECT id, topic, payload::text FROM mesh.events
                    WHERE source = 'patrold' AND topic = ANY($1) AND id > $2 ORDER BY id LIMIT 1000
                    """, [Self.topics, from]
                ).map { Item(id: try $0.decode(at: 0), topic: try $0.decode(at: 1), payload: try $0.decode(at: 2)) }
                return (rows, places)
            }
            state.withLock { state in
                for (grid, community, street) in places { state.places[grid] = (community, street) }
                for item in rows {
                    state.highest = max(state.highest ?? 0, item.id)
                    guard !item.topic.isEmpty, state.sent.insert(item.id).inserted else { continue }
                    let place = Self.place(of: item, places: state.places)
                    for watcher in state.watchers.values where Self.covers(watcher.scope, place) { watcher.continuation.yield(item) }
                }
                if state.sent.count > 5000, let highest = state.highest { state.sent = state.sent.filter { $0 > highest - 1000 } }
            }
        } catch {
            logger.warning("live feed: reading new events failed", metadata: ["error": "\(error)"])
        }
    }

    /// The grid, community and street an event is about (as far as its payload says).
    struct Place {
        var grid: String?
        var community: String?
        var street: String?
    }

    static func place(of item: Item, places: [String: (community: String, street: String)]) -> Place {
        let payload = (try? JSONSerialization.jsonObject(with: Data(item.payload.utf8))) as? [String: Any] ?? [:]
        var place = Place(street: payload["street_code"] as? String)
        place.grid = payload["grid_code"] as? String
        place.community = payload["community_code"] as? String
        if let level = payload["level"] as? String, let area = payload["area_code"] as? String {
            if level == "grid" { place.grid = area } else if level == "community" { place.community = area }
        }
        if let grid = place.grid, let known = places[grid] {
            place.community = place.community ?? known.community
            place.street = place.street ?? known.street
        }
        return place
    }

    static func covers(_ scope: Scope, _ place: Place) -> Bool {
        switch scope.level {
        case .district: true
        case .street: place.street == scope.code
        case .community: place.community == scope.code
        case .grid: place.grid == scope.code
        }
    }
}

import Foundation
import Synchronization

/// Failed sign-ins per client address, in this process's memory only (an address is personal
/// data: it is never stored). Past `limit` failures within `window`, the address waits until the
/// oldest of them leaves the window. Several authd instances each count their own share.
final class AddressThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = TimeInterval(window.components.seconds)
    }

    /// Seconds `address` must wait before trying again, 0 if it may try now.
    func wait(_ address: String, now: Date) -> Int {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return 0 }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    func failed(_ address: String, at now: Date) {
        failures.withLock { table in
            var recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            table[address] = recent
            if table.count > 100_000 { table = table.filter { !($0.value.last.map { now.timeIntervalSince($0) >= window } ?? true) } }
        }
    }
}

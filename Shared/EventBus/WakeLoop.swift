import Postgres
import ServiceLifecycle

/// The loop of everything that drains a table of work: run `drain` at start, whenever `channel` is
/// notified, whenever the listener (re)connects (notifications sent meanwhile are lost) and on a
/// fallback poll, until a graceful shutdown. `onPoll` runs on each poll tick (gauges);
/// `onShutdown` runs as the shutdown begins.
public func drainWhenWoken(
    listener: PostgresListener?, channel: String, poll: Duration, onPoll: @escaping @Sendable () async -> Void = {},
    onShutdown: @escaping @Sendable () -> Void = {}, drain: @escaping @Sendable () async -> Void
) async {
    let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    await withGracefulShutdownHandler {
        await withTaskGroup(of: Void.self) { group in
            if let listener {
                group.addTask {
                    for await event in listener.events() {
                        switch event {
                        case .connected: wake.yield()
                        case .notification(let name, _) where name == channel: wake.yield()
                        case .notification: break
                        }
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: poll)
                    wake.yield()
                    await onPoll()
                }
            }
            wake.yield()
            for await _ in wakeups { await drain() }
            group.cancelAll()
        }
    } onGracefulShutdown: {
        onShutdown()
        wake.finish()
    }
}

import Logging
import ServiceLifecycle

/// The loop of a daemon's periodic work (sweeps, schedules, senders): run `work`, log a failure
/// without stopping, wait `interval`, until a graceful shutdown ends the wait and the loop.
public func repeatUntilShutdown(
    every interval: Duration, logger: Logger, failure: String, _ work: () async throws -> Void
) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        do {
            try await work()
        } catch {
            logger.warning("\(failure)", metadata: ["error": "\(error)"])
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}

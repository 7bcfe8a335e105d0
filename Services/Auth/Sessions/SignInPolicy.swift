import Foundation

/// How long things live and how hard a guesser is slowed, from `GRIDMESH_AUTH_*` settings.
public struct SignInPolicy: Sendable {
    /// Access tokens: ten minutes at most.
    public var accessLifetime: Duration = .seconds(600)
    /// A browser's session ends after a working day; a phone app's after 30 days. Each refresh
    /// token expires sooner when unused (idle).
    public var browserSession: Duration = .seconds(12 * 3600)
    public var browserIdle: Duration = .seconds(2 * 3600)
    public var appSession: Duration = .seconds(30 * 86400)
    public var appIdle: Duration = .seconds(7 * 86400)
    /// From the `slowAfter`th failure in a row, each attempt waits 1, 2, 4 … up to `maxDelay` seconds
    /// after the last failure; at `lockAfter` failures the account locks for `lockFor`.
    public var slowAfter = 3
    public var maxDelay = 60
    public var lockAfter = 10
    public var lockFor: Duration = .seconds(30 * 60)
    /// Failures from one client address in `addressWindow` past which it must wait out the window.
    public var addressFailures = 30
    public var addressWindow: Duration = .seconds(15 * 60)
    /// Activation codes: an invite's lives a week, a reset's a day.
    public var inviteLifetime: Duration = .seconds(7 * 86400)
    public var resetLifetime: Duration = .seconds(86400)

    public init() {}

    /// Seconds an account must still wait after `failures` failures, the last at `last`.
    func delay(failures: Int, last: Date?, now: Date) -> Int {
        guard failures >= slowAfter, let last else { return 0 }
        let wait = min(maxDelay, 1 << min(failures - slowAfter, 16))
        let elapsed = now.timeIntervalSince(last)
        return elapsed >= Double(wait) ? 0 : Int((Double(wait) - elapsed).rounded(.up))
    }
}

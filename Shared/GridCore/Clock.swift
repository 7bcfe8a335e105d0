import Foundation

/// The time source of domain code. Production reads the system clock; tests and the scenario
/// run inject a clock they control so a week passes in seconds.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Pauses between attempts of a failing handler: exponential from `base`, capped, with jitter
/// (a random half to whole of the step) so a crowd of failures does not retry in step.
public struct RetrySchedule: Sendable {
    public var base: Duration
    public var cap: Duration
    public var maxAttempts: Int

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(600), maxAttempts: Int = 10) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The pause after `attempt` failed attempts (1-based), in milliseconds.
    public func delayMilliseconds(afterAttempt attempt: Int) -> Int64 {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let step = min(cap.milliseconds, base.milliseconds * pow2(exponent))
        return Int64(Double.random(in: (step / 2)...max(step, 1)))
    }

    private func pow2(_ x: Double) -> Double { Double(1 << Int(x)) }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

import Foundation

/// When a failed delivery is tried again (DESIGN.md §3): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
/// each ±10 % so endpoints that failed together are not retried together; then the delivery is
/// dead. `Retry-After` on 429 and 503 is honoured (up to a day).
public struct RetryPolicy: Sendable {
    public let schedule: [Duration]

    public static let standard = RetryPolicy(schedule: [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000), .seconds(36000),
    ])

    public init(schedule: [Duration]) { self.schedule = schedule }

    /// The wait after the `attempt`-th failed attempt (1-based), or nil when it was the last.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil, jitter: Double = Double.random(in: -0.1...0.1)) -> Duration? {
        guard attempt >= 1, attempt <= schedule.count else { return nil }
        if let retryAfter { return min(max(retryAfter, .seconds(1)), .seconds(86400)) }
        return schedule[attempt - 1] * (1 + jitter)
    }

    /// A `Retry-After` value: seconds, or an HTTP date.
    public static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
    }
}

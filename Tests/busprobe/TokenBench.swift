import ArgumentParser
import Daemon
import Foundation

/// `busprobe tokens`: what verifying a bearer token costs a daemon per request — the signature
/// (Ed25519), the claims, the audience and the revocation check — measured in-process with the
/// verifier the daemons use, for scripts/bench auth.
struct TokenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokens", abstract: "Measure bearer token verification per request.")

    @Option(help: "The JWKS the token verifies against.") var jwks: String
    @Option(help: "The token.") var token: String
    @Option(help: "The daemon the token is for.") var audience: String = "patrold"
    @Option var count: Int = 20000

    func run() async throws {
        let keys = try String(contentsOfFile: jwks, encoding: .utf8)
        let verifier = try await TokenVerifier(jwks: keys, audience: audience)
        for _ in 0..<200 { _ = try await verifier.verify(token) }
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for _ in 0..<count {
            let start = clock.now
            _ = try await verifier.verify(token)
            samples.append(clock.now - start)
        }
        samples.sort()
        func microseconds(_ duration: Duration) -> Double { Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6 }
        let p50 = microseconds(samples[count / 2])
        let p99 = microseconds(samples[count * 99 / 100])
        print(String(format: "%.1f %.1f", p50, p99))
    }
}

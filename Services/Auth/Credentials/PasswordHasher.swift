import CArgon2
import Foundation
import NIOPosix

/// Passwords hashed with argon2id (RFC 9106) through Debian's libargon2, in the PHC string format
/// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so each stored hash carries its own parameters and
/// stronger ones apply to new hashes without breaking old ones.
///
/// Why argon2id and not bcrypt: it is OWASP's first choice, it is memory-hard (a GPU or ASIC pays
/// for memory, not only for rounds), and it takes passwords longer than bcrypt's 72 bytes. Hashing
/// blocks a thread for tens of milliseconds, so it runs on a thread pool of its own, never on the
/// server's event loops or the async executor; the pool's size bounds how many run at once.
public struct PasswordHasher: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Memory in KiB, passes, lanes.
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32

        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
        public static let owasp = Parameters(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let parameters: Parameters
    private let threads: NIOThreadPool

    public init(parameters: Parameters = .owasp, threads: Int = 2) {
        self.parameters = parameters
        self.threads = NIOThreadPool(numberOfThreads: threads)
        self.threads.start()
    }

    public func shutdown() async throws { try await threads.shutdownGracefully() }

    /// The PHC string of `password` with a fresh 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let parameters = parameters
        return try await threads.runIfActive { try Self.hashNow(password, parameters: parameters) }
    }

    /// Whether `password` matches `encoded` (constant time in libargon2).
    public func verify(_ password: String, against encoded: String) async throws -> Bool {
        try await threads.runIfActive { Self.verifyNow(password, against: encoded) }
    }

    /// Whether a stored hash was made with weaker parameters than today's (then it is re-hashed
    /// at the next successful sign-in).
    public func needsRehash(_ encoded: String) -> Bool {
        let expected = "$argon2id$v=19$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism)$"
        return !encoded.hasPrefix(expected)
    }

    static func hashNow(_ password: String, parameters: Parameters) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let password = Array(password.utf8)
        let length = argon2_encodedlen(parameters.iterations, parameters.memoryKiB, parameters.parallelism, UInt32(salt.count), 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let status = argon2id_hash_encoded(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, password, password.count, salt, salt.count, 32, &encoded, length)
        guard status == ARGON2_OK.rawValue else { throw Failure(description: String(cString: argon2_error_message(status))) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verifyNow(_ password: String, against encoded: String) -> Bool {
        let password = Array(password.utf8)
        return argon2id_verify(encoded, password, password.count) == ARGON2_OK.rawValue
    }
}

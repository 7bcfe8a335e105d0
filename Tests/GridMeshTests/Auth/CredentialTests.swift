import Auth
import Daemon
import Foundation
import Testing

@Suite("Credentials: argon2id, TOTP, the password policy")
struct CredentialTests {
    /// RFC 6238 Appendix B, SHA-1, the last six digits of its eight.
    @Test(arguments: [
        (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
        (20_000_000_000, "353130"),
    ])
    func totpMatchesTheRFCVectors(seconds: Int, code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let time = Date(timeIntervalSince1970: TimeInterval(seconds))
        #expect(totp.code(counter: TOTP.counter(at: time)) == code)
        #expect(totp.matchingCounter(code, at: time) == TOTP.counter(at: time))
        #expect(totp.matchingCounter(code, at: time.addingTimeInterval(30)) == TOTP.counter(at: time), "one step of drift is accepted")
        #expect(totp.matchingCounter(code, at: time.addingTimeInterval(90)) == nil, "three steps later it is not")
    }

    @Test func totpRefusesWhatIsNotACode() {
        let totp = TOTP.generate()
        let now = Date()
        for text in ["", "12345", "1234567", "12a456", "１２３４５６"] { #expect(totp.matchingCounter(text, at: now) == nil) }
    }

    @Test func base32RoundTripsAndTheURIHasTheSecret() throws {
        let totp = TOTP.generate()
        let text = Base32.encode(totp.secret)
        #expect(text.count == 32)
        #expect(Base32.decode(text) == totp.secret)
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI", "RFC 4648 §10")
        let uri = totp.uri(account: "caseworker-liu", issuer: "GridMesh")
        #expect(uri.hasPrefix("otpauth://totp/GridMesh:caseworker-liu?secret=\(text)&issuer=GridMesh"))
    }

    @Test func argon2idHashesVerifyAndCarryTheirParameters() async throws {
        let hasher = PasswordHasher(threads: 1)
        let hash = try await hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(try await hasher.verify("correct horse battery staple", against: hash))
        #expect(try await !hasher.verify("correct horse battery stapler", against: hash))
        #expect(try await !hasher.verify("anything", against: "not a hash"))
        #expect(try await hasher.hash("correct horse battery staple") != hash, "a fresh salt each time")
        #expect(!hasher.needsRehash(hash))
        let stronger = PasswordHasher(parameters: .init(memoryKiB: 32 * 1024, iterations: 3, parallelism: 1), threads: 1)
        #expect(stronger.needsRehash(hash))
        try await hasher.shutdown()
        try await stronger.shutdown()
    }

    @Test(arguments: [
        ("short1!", "at least"), ("aaaaaaaaaaaaaaa", "repeats"), ("1234567890123", "run"), ("qwertyuiopqw", "run"), ("abcabcabcabcabc", "repeats"),
        ("zhangmin-2026-ok", "name"), ("password123456", "attackers"), ("woaini1314!!", "attackers"), ("Gridmesh2026!", "place"),
    ])
    func thePolicyRefusesTheObvious(password: String, why: String) {
        let refusal = PasswordPolicy.refusal(password, subject: "zhangmin", displayName: "张敏")
        #expect(refusal?.contains(why) == true, "\(password): \(refusal ?? "accepted")")
    }

    @Test func thePolicyAcceptsAPassphrase() {
        #expect(PasswordPolicy.refusal("晨跑 东湖 三圈 打卡", subject: "zhangmin", displayName: "张敏") == nil)
        #expect(PasswordPolicy.refusal("violet-kettle-harbour", subject: "zhangmin", displayName: "张敏") == nil)
    }
}

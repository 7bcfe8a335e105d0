import Auth
import Daemon
import Foundation
import GridCore
import HTTPClient
import Testing

@Suite("authd: guessing slows down and locks; a second factor is single-use")
struct BruteForceTests {
    @Test func failuresSlowTheAccountDownWithRetryAfter() async throws {
        // from the first failure: 1 s, then 2 s (a window wide enough for a loaded machine to ask within it)
        let f = try await AuthFixture(extra: ["GRIDMESH_AUTH_SLOW_AFTER": "1"])
        try await f.enrol("zhangmin")
        #expect(try await f.signIn("zhangmin", password: "wrong-one-1").status == 401)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await f.signIn("zhangmin", password: "wrong-one-2").status == 401)
        let slowed = try await f.signIn("zhangmin")
        let wait = Int(slowed.header("Retry-After") ?? "") ?? 0
        #expect(slowed.status == 429 && slowed.text.contains("too-many-attempts") && (1...2).contains(wait), "\(slowed.text)")
        try await Task.sleep(for: .milliseconds(wait * 1000 + 100))
        #expect(try await f.signIn("zhangmin").status == 201, "after the wait, the right password works and the count resets")
        // the count started again: one failure asks for at most 1 s, not 4 (a loaded machine may be past it already)
        #expect(try await f.signIn("zhangmin", password: "wrong-one-3").status == 401)
        let again = try await f.signIn("zhangmin")
        #expect(again.status == 201 || (again.status == 429 && again.header("Retry-After") == "1"), "\(again.text)")
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await f.signIn("zhangmin").status == 201)
    }

    @Test func theAccountLocksAtTheThresholdUntilAnAdministratorUnlocksIt() async throws {
        let f = try await AuthFixture(extra: ["GRIDMESH_AUTH_SLOW_AFTER": "50", "GRIDMESH_AUTH_LOCK_AFTER": "4"])
        try await f.enrol("lihua")
        for attempt in 1...4 { #expect(try await f.signIn("lihua", password: "guess-number-\(attempt)").status == 401) }
        let locked = try await f.signIn("lihua")
        #expect(locked.status == 429 && locked.text.contains("account-locked"), "\(locked.text)")
        #expect(Int(locked.header("Retry-After") ?? "") ?? 0 > 1700, "locked for about 30 minutes")
        let admin = try await f.admin
        let state = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/accounts/lihua", token: admin))
        #expect(state["locked_until"] != nil && state["activated"] as? Bool == true, "\(state)")
        #expect(try await Mesh.request("POST", f.authd.baseURL + "/v1/accounts/lihua/unlock", token: admin).status == 204)
        #expect(try await f.signIn("lihua").status == 201)
        let audit = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/audit?target=account:lihua", token: try await f.inspector))
        let actions = ((audit["entries"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "sign-in.failed" }.count == 4 && actions.contains("account.lock") && actions.contains("account.unlock"), "\(actions)")
    }

    @Test func oneAddressGuessingManyAccountsIsSlowedToo() async throws {
        let f = try await AuthFixture(extra: ["GRIDMESH_AUTH_ADDRESS_FAILURES": "5"])
        try await f.enrol("zhangmin")
        for account in ["nobody-1", "nobody-2", "nobody-3", "nobody-4", "nobody-5"] {
            #expect(try await f.signIn(account, password: "some-guess-here").status == 401)
        }
        let refused = try await f.signIn("zhangmin")
        #expect(refused.status == 429 && Int(refused.header("Retry-After") ?? "") ?? 0 > 60, "\(refused.text)")
    }

    @Test func aCaseworkerSignsInWithACodeThatIsGoodOnce() async throws {
        let f = try await AuthFixture()
        let secret = try #require(try await f.enrol("caseworker-liu"))
        let withoutCode = try await f.signIn("caseworker-liu")
        #expect(withoutCode.status == 401 && withoutCode.text.contains("second-factor-required"))
        let totp = TOTP(secret: secret)
        let code = totp.code(counter: TOTP.counter(at: Date()))
        let wrong = String(code.reversed()) == code ? "000000" : String(code.reversed())
        #expect(try await f.signIn("caseworker-liu", code: wrong).status == 401)
        let first = try await f.signIn("caseworker-liu", code: code)
        #expect(first.status == 201, "\(first.text)")
        let replay = try await f.signIn("caseworker-liu", code: code)
        #expect(replay.status == 401 && replay.text.contains("invalid-second-factor"), "the same code again is refused: \(replay.text)")
        let state = try Mesh.json(try await Mesh.request("GET", f.authd.baseURL + "/v1/accounts/caseworker-liu", token: try await f.admin))
        #expect(state["second_factor_enrolled"] as? Bool == true)
    }
}

import Daemon
import Foundation
import GridCore

/// SCENARIO.md played through the real mesh: a week in Shuiguohu street, every step through the
/// daemons' public HTTP APIs and their webhooks, with the mesh clock moved from step to step so
/// the week passes in seconds (tests) or at a human pace (`scripts/run --demo`). Every step checks
/// what must be true — and what must not be visible — and throws `ScenarioFailure` if it is not.
public final class ShuiguohuWeek {
    public struct Settings {
        public var mesh: MeshAddresses
        /// How the cast signs in at authd.
        public var signIn: SignIn
        /// The mesh clock every daemon reads (`GRIDMESH_CLOCK_FILE`).
        public var clock: ShiftedWallClock
        /// The city management squad's callback secret (`gridctl callbacks secret`).
        public var squadSecret: String
        /// A pause after each step, for a watching newcomer; zero in tests.
        public var pace: Duration = .zero
        /// false: webhook deliveries are all checked at the end of the week (the receiver may be
        /// down for part of it); true: each as its step makes it.
        public var deliveriesAtEachStep = true
        /// How long an asynchronous effect (an event, a sweep, a webhook) may take to show.
        public var patience: Duration = .seconds(30)
        /// Called after each step's actions, before its checks: the kill-and-restart test's hook.
        public var afterActions: @Sendable (Int) async throws -> Void = { _ in }
        /// Told the secrets of the endpoints the week subscribed (a restarted receiver needs them).
        public var subscribed: @Sendable ([String]) -> Void = { _ in }
        /// Every line of narration.
        public var say: @Sendable (String) -> Void = { print($0) }

        public init(mesh: MeshAddresses, signIn: SignIn, clock: ShiftedWallClock, squadSecret: String) {
            self.mesh = mesh
            self.signIn = signIn
            self.clock = clock
            self.squadSecret = squadSecret
        }
    }

    /// The demo's sign-in: every person's password, and the authenticator secrets of the roles with
    /// a second factor, by subject (`gridctl accounts demo` prints them as `subject secret` lines).
    public struct SignIn: Sendable {
        public var authd: String
        public var password: String
        public var authenticators: [String: [UInt8]]

        public init(authd: String, password: String, authenticators: [String: [UInt8]]) {
            self.authd = authd
            self.password = password
            self.authenticators = authenticators
        }

        /// The secrets of `gridctl accounts demo`'s output (`subject BASE32` lines).
        public static func authenticators(in text: String) -> [String: [UInt8]] {
            var secrets: [String: [UInt8]] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let secret = Base32.decode(String(parts[1])) { secrets[String(parts[0])] = secret }
            }
            return secrets
        }
    }

    let settings: Settings
    let client: MeshClient
    var cast: Cast!
    var step = "prologue"
    var ids = WeekIDs()
    /// The webhook deliveries the week has made so far, checked at their step or at the end.
    var expectedDeliveries: [ExpectedDelivery] = []
    /// Secrets of the endpoints the week subscribed (the receiver is told them).
    public internal(set) var receiverSecrets: [String] = []
    var outcome = WeekOutcome()

    public init(_ settings: Settings) {
        self.settings = settings
        client = MeshClient(patience: settings.patience)
    }

    /// Plays the prologue, the seven days and the "throughout" checks; returns what the week left.
    public func play() async throws -> WeekOutcome {
        cast = try await Cast(signIn: settings.signIn, mesh: settings.mesh, client: client)
        settings.say("The fifteen people of the week have signed in at authd (six of them with their authenticator's code).")
        try await prologue()
        try await monday()
        try await tuesdayAndWednesday()
        try await thursday()
        try await friday()
        try await sundayNight()
        try await throughout()
        return outcome
    }

    // MARK: the means of every step

    var mesh: MeshAddresses { settings.mesh }

    func begin(_ number: Int, _ title: String) {
        step = "step \(number)"
        settings.say("\n\(number). \(title)")
    }

    func say(_ line: String) { settings.say("   \(line)") }

    /// Moves the whole mesh to a local time of the week (Asia/Shanghai) and says so.
    func at(_ local: String, _ label: String) throws {
        guard let instant = RFC3339.parse("\(local)+08:00") else { throw ScenarioFailure(step: step, expectation: "a valid time \(local)") }
        try settings.clock.set(to: instant)
        settings.say("\n—— \(label) (\(local.replacingOccurrences(of: "T", with: " ").prefix(16))) ——")
    }

    func actionsDone(_ number: Int) async throws { try await settings.afterActions(number) }

    func pause() async throws { if settings.pace > .zero { try await Task.sleep(for: settings.pace) } }

    func expect(_ condition: Bool, _ expectation: @autoclosure () -> String) throws {
        guard condition else { throw ScenarioFailure(step: step, expectation: expectation()) }
    }

    /// Waits for an asynchronous effect of the mesh (an event handled, a sweep, a peer call).
    func eventually(_ expectation: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + settings.patience
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard try await condition() else { throw ScenarioFailure(step: step, expectation: "in time: \(expectation)") }
    }

    /// A request whose answer must have `status`; returns the answer.
    @discardableResult
    func call(_ method: String, _ url: String, _ person: Person?, _ body: String? = nil, expect status: Int, headers: [(String, String)] = [])
        async throws -> Reply
    {
        let token = try await person?.token(for: url)
        let reply = try await client.send(method, url, token: token, body: body, headers: headers)
        try expect(reply.status == status, "\(method) \(url) answers \(status), got \(reply.status): \(reply.text.prefix(300))")
        return reply
    }

    func get(_ url: String, _ person: Person) async throws -> JSON { try await call("GET", url, person, expect: 200).json }

    var meshNow: Date { settings.clock.now() }
}

/// The ids the week hands from step to step.
struct WeekIDs {
    var rubbish = ""
    var duplicate = ""
    var second = ""
    var clue = ""
    var caseID = ""
    var caseRef = ""
    var series = ""
    var lastWeekMeeting = ""
    var nightMarketItem = ""
    var foodOrder = ""
    var meeting = ""
    var actionItem = ""
    var cycle = ""
    var wangCandidate = ""
    var chenCandidate = ""
    var hotspot = ""
}

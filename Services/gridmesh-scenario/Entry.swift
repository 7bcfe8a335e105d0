import ArgumentParser
import Foundation
import GridCore
import Scenario

/// `gridmesh-scenario`: plays the week in Shuiguohu street against a running mesh whose daemons
/// read the mesh clock from `--clock-file` (`scripts/run --demo` starts it so), printing each step.
@main
struct PlayTheWeek: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridmesh-scenario", abstract: "Play the week in Shuiguohu street (SCENARIO.md) through a running mesh, step by step.")

    @Option(help: "authd's base URL, where the cast signs in.") var authd = "http://127.0.0.1:8085"
    @Option(help: "patrold's base URL.") var patrold = "http://127.0.0.1:8081"
    @Option(help: "meetingd's base URL.") var meetingd = "http://127.0.0.1:8082"
    @Option(help: "reentryd's base URL.") var reentryd = "http://127.0.0.1:8083"
    @Option(help: "vettingd's base URL.") var vettingd = "http://127.0.0.1:8084"
    @Option(help: "The webhook receiver's base URL.") var receiver = "http://127.0.0.1:8090"
    @Option(help: "The demo password every person of the cast signs in with (gridctl accounts demo --password).") var password: String
    @Option(help: "The authenticator secrets of the roles with a second factor, as gridctl accounts demo printed them.") var authenticators: String
    @Option(help: "The mesh clock file the daemons read (default: $GRIDMESH_CLOCK_FILE).") var clockFile: String?
    @Option(help: "A file holding the city management squad's callback secret (gridctl callbacks secret).") var squadSecretFile: String
    @Option(help: "Seconds to pause after each step.") var pace = 3.0

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let secrets = try? String(contentsOfFile: authenticators, encoding: .utf8) else {
            throw ValidationError("--authenticators \(authenticators) cannot be read")
        }
        guard let clock = clockFile ?? environment["GRIDMESH_CLOCK_FILE"] else { throw ValidationError("--clock-file (or GRIDMESH_CLOCK_FILE) is required") }
        let secret = try String(contentsOfFile: squadSecretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var settings = ShuiguohuWeek.Settings(
            mesh: MeshAddresses(authd: authd, patrold: patrold, meetingd: meetingd, reentryd: reentryd, vettingd: vettingd, receiver: receiver),
            signIn: .init(authd: authd, password: password, authenticators: ShuiguohuWeek.SignIn.authenticators(in: secrets)),
            clock: ShiftedWallClock(file: clock), squadSecret: secret)
        settings.pace = .milliseconds(Int(pace * 1000))
        settings.say = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        do {
            _ = try await ShuiguohuWeek(settings).play()
        } catch let failure as ScenarioFailure {
            print("\nThe week broke at \(failure)")
            throw ExitCode(1)
        }
    }
}

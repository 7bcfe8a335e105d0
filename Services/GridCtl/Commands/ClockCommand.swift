import ArgumentParser
import Foundation
import GridCore

/// `gridctl clock`: the shifted mesh clock of tests and demos (`GRIDMESH_CLOCK_FILE`). Daemons
/// started with that file read their time from it; production never sets it.
struct ClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock", abstract: "Show or move the mesh clock of a test or demo mesh (GRIDMESH_CLOCK_FILE).", subcommands: [Show.self, Move.self])

    struct FileOption: ParsableArguments {
        @Option(name: .long, help: "The clock file (default: $GRIDMESH_CLOCK_FILE).") var file: String?

        func clock() throws -> ShiftedWallClock {
            guard let path = file ?? ProcessInfo.processInfo.environment["GRIDMESH_CLOCK_FILE"], !path.isEmpty else {
                throw ValidationError("name the clock file with --file or GRIDMESH_CLOCK_FILE")
            }
            return ShiftedWallClock(file: path)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the mesh's time and its shift from the system clock.")
        @OptionGroup var options: FileOption

        func run() async throws {
            let clock = try options.clock()
            print("\(RFC3339.format(clock.now()))\tshift \(String(format: "%.0f", clock.offset())) s")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Move the mesh's time to an RFC 3339 instant; it flows on from there.")
        @OptionGroup var options: FileOption
        @Argument(help: "The new time, e.g. 2026-11-16T08:00:00+08:00.") var time: String

        func run() async throws {
            guard let instant = RFC3339.parse(time) else { throw ValidationError("\(time) is not an RFC 3339 time") }
            try options.clock().set(to: instant)
            print(RFC3339.format(instant))
        }
    }
}

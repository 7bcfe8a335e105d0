import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The time source of domain code. Production reads the system clock; tests and the scenario
/// run inject a clock they control so a week passes in seconds.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The system clock shifted by an offset kept in a file (`GRIDMESH_CLOCK_FILE`): the scenario
/// test and `scripts/run --demo` move every daemon of the mesh through a week at once by
/// rewriting it. Time keeps flowing from wherever it was set. Every reading re-reads the file
/// (one small `read`), so a move is seen by the next request; a missing or unreadable file
/// means no shift.
public struct ShiftedWallClock: WallClock {
    public let file: String

    public init(file: String) { self.file = file }

    public func now() -> Date { Date().addingTimeInterval(offset()) }

    /// Seconds the mesh's time is ahead of the system clock (negative: behind).
    public func offset() -> TimeInterval {
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return 0 }
        return TimeInterval(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Moves the mesh's time to `instant` (it flows on from there), atomically for every reader.
    public func set(to instant: Date) throws {
        let temporary = file + ".\(getpid()).tmp"
        try String(format: "%.3f\n", instant.timeIntervalSince(Date())).write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file]) }
    }
}

extension ShiftedWallClock {
    /// A process's mesh clock: shifted by the file `GRIDMESH_CLOCK_FILE` names, else the system clock.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> any WallClock {
        guard let file = environment["GRIDMESH_CLOCK_FILE"], !file.isEmpty else { return SystemWallClock() }
        return ShiftedWallClock(file: file)
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ports for a process a test kills and starts again on the same port (its peers keep the URL).
/// An ephemeral port (port 0) freed by the kill may be taken by any other test meanwhile, so these
/// come from below the kernel's ephemeral range, which port-0 binds never use: each handed out once
/// per test process, and free when handed out.
enum TestPorts {
    private static let given = Mutex<Set<Int>>([])

    /// The kernel's ephemeral range starts here (32768 unless configured otherwise).
    private static let ephemeralStart: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32768
    }()

    /// A free port in 20000 up to the ephemeral range, never one handed out before in this process.
    static func reserve() throws -> Int {
        let upper = max(20001, ephemeralStart)
        for _ in 0..<200 {
            let port = Int.random(in: 20000..<upper)
            let fresh = given.withLock { $0.insert(port).inserted }
            if fresh && isFree(port) { return port }
        }
        throw Failure("no free port below \(upper)")
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

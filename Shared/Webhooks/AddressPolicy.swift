import Foundation

/// The SSRF guard of outbound webhooks: a target's host is resolved once, every address it resolves
/// to is checked, and the request is pinned to the checked address (`CURLOPT_RESOLVE`), so a DNS
/// answer cannot change between the check and the connect. Loopback, private, link-local, shared
/// (CGNAT), multicast and unspecified addresses are refused unless the host is allow-listed (the
/// deployment's own daemons are).
public struct AddressPolicy: Sendable {
    public let allowedHosts: Set<String>

    public init(allowedHosts: Set<String> = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
    }

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let host: String
        public let reason: String
        public var description: String { "\(host): \(reason)" }
    }

    /// Where to connect: the host, port and the one checked address to pin.
    public struct Target: Sendable, Equatable {
        public let host: String
        public let port: Int
        public let address: String

        /// The `CURLOPT_RESOLVE` entry that pins the connection to the checked address.
        public var curlResolve: String { "\(host):\(port):\(address.contains(":") ? "[\(address)]" : address)" }
    }

    /// Checks an http(s) URL; returns the target to pin or why it is refused.
    public func check(url text: String) throws(Refusal) -> Target {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            var host = url.host?.lowercased(), !host.isEmpty
        else { throw Refusal(host: text, reason: "not an http(s) URL") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let addresses = Self.resolve(host)
        guard let first = addresses.first else { throw Refusal(host: host, reason: "does not resolve") }
        if allowedHosts.contains(host) { return Target(host: host, port: port, address: first) }
        for address in addresses {
            if let reason = Self.forbidden(address) { throw Refusal(host: host, reason: "resolves to \(address), \(reason)") }
        }
        return Target(host: host, port: port, address: first)
    }

    /// Numeric addresses for a host (a literal address resolves to itself).
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    /// Why an address may not be a webhook target, or nil when it may.
    public static func forbidden(_ address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return forbidden(ipv4: UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return "not an address" }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            // IPv4-mapped: judge the IPv4 address inside
            return forbidden(ipv4: UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15]))
        }
        if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "loopback" }
        if bytes[0] & 0xFE == 0xFC { return "a unique local (private) address" }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return "link-local" }
        if bytes[0] == 0xFF { return "multicast" }
        return nil
    }

    static func forbidden(ipv4 value: UInt32) -> String? {
        func within(_ network: UInt32, _ bits: UInt32) -> Bool { value >> (32 - bits) == network >> (32 - bits) }
        if within(0x0000_0000, 8) { return "the unspecified network" }
        if within(0x7F00_0000, 8) { return "loopback" }
        if within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16) { return "private" }
        if within(0xA9FE_0000, 16) { return "link-local (cloud metadata lives here)" }
        if within(0x6440_0000, 10) { return "shared address space (100.64.0.0/10)" }
        if within(0xE000_0000, 4) { return "multicast" }
        if value == 0xFFFF_FFFF { return "broadcast" }
        return nil
    }
}

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

    /// Why an address may not be a webhook target, or nil when it may: anything in IANA's IPv4 and
    /// IPv6 special-purpose address registries (even the blocks marked globally reachable: none is
    /// an agency's back office), multicast, and IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4,
    /// Teredo) judged by the IPv4 address it carries or refused whole.
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
        for block in specialIPv6 where block.contains(bytes) { return block.reason }
        return nil
    }

    static func forbidden(ipv4 value: UInt32) -> String? {
        for (network, bits, reason) in specialIPv4 where bits == 0 || value >> (32 - bits) == network >> (32 - bits) { return reason }
        return nil
    }

    /// IANA IPv4 Special-Purpose Address Registry, and multicast.
    static let specialIPv4: [(UInt32, UInt32, String)] = [
        (0x0000_0000, 8, "the unspecified network"), (0x0A00_0000, 8, "private"), (0x6440_0000, 10, "shared address space (100.64.0.0/10)"),
        (0x7F00_0000, 8, "loopback"), (0xA9FE_0000, 16, "link-local (cloud metadata lives here)"), (0xAC10_0000, 12, "private"),
        (0xC000_0000, 24, "IETF protocol assignments (192.0.0.0/24)"), (0xC000_0200, 24, "documentation (TEST-NET-1)"),
        (0xC01F_C400, 24, "AS112 (192.31.196.0/24)"), (0xC034_C100, 24, "AMT (192.52.193.0/24)"), (0xC058_6300, 24, "6to4 relay anycast"),
        (0xC0A8_0000, 16, "private"), (0xC0AF_3000, 24, "AS112 direct delegation"), (0xC612_0000, 15, "benchmarking (198.18.0.0/15)"),
        (0xC633_6400, 24, "documentation (TEST-NET-2)"), (0xCB00_7100, 24, "documentation (TEST-NET-3)"), (0xE000_0000, 4, "multicast"),
        (0xF000_0000, 4, "reserved (240.0.0.0/4)"),
    ]

    struct Block {
        let prefix: [UInt8]
        let bits: Int
        let reason: String

        init(_ prefix: [UInt8], _ bits: Int, _ reason: String) {
            self.prefix = prefix
            self.bits = bits
            self.reason = reason
        }

        func contains(_ address: [UInt8]) -> Bool {
            for bit in 0..<bits {
                let mask = UInt8(0x80) >> UInt8(bit % 8)
                if address[bit / 8] & mask != (bit / 8 < prefix.count ? prefix[bit / 8] : 0) & mask { return false }
            }
            return true
        }
    }

    /// IANA IPv6 Special-Purpose Address Registry, the deprecated blocks, and multicast.
    static let specialIPv6: [Block] = [
        Block([], 128, "the unspecified address"), Block([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback"),
        Block([], 96, "IPv4-compatible (deprecated)"), Block([0x00, 0x64, 0xFF, 0x9B], 96, "NAT64 (64:ff9b::/96)"),
        Block([0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01], 48, "local-use NAT64 (64:ff9b:1::/48)"), Block([0x01, 0x00], 64, "discard-only (100::/64)"),
        Block([0x01, 0x00, 0, 0, 0, 0, 0, 0x01], 64, "dummy prefix (100:0:0:1::/64)"),
        Block([0x20, 0x01, 0x00, 0x00], 23, "IETF protocol assignments (2001::/23, Teredo included)"),
        Block([0x20, 0x01, 0x0D, 0xB8], 32, "documentation (2001:db8::/32)"), Block([0x20, 0x02], 16, "6to4 (2002::/16)"),
        Block([0x26, 0x20, 0x00, 0x4F, 0x80, 0x00], 48, "AS112 (2620:4f:8000::/48)"), Block([0x3F, 0xFF], 20, "documentation (3fff::/20)"),
        Block([0x5F, 0x00], 16, "SRv6 SIDs (5f00::/16)"), Block([0xFC], 7, "a unique local (private) address"), Block([0xFE, 0x80], 10, "link-local"),
        Block([0xFE, 0xC0], 10, "site-local (deprecated)"), Block([0xFF], 8, "multicast"),
    ]
}

import HTTPClient
import Testing
import Webhooks

@Suite("Webhooks: the SSRF guard")
struct AddressPolicyTests {
    @Test func internalAddressesAreRefusedUnlessAllowListed() {
        let policy = AddressPolicy()
        for url in [
            "http://127.0.0.1/hook", "http://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data", "http://100.64.0.1/", "http://[::1]:8080/x",
            "http://localhost:8081/x", "http://0.0.0.0/", "http://192.168.1.1/", "http://172.20.0.5/", "http://224.0.0.1/", "http://[fe80::1]/",
            "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
        ] {
            #expect(throws: AddressPolicy.Refusal.self, "\(url)") { try policy.check(url: url) }
        }
        #expect(throws: AddressPolicy.Refusal.self) { try policy.check(url: "ftp://example.org/") }
        #expect(throws: AddressPolicy.Refusal.self) { try policy.check(url: "not a url") }
    }

    @Test func publicAddressesPassAndArePinned() throws {
        let target = try AddressPolicy().check(url: "https://93.184.215.14:8443/hooks")
        #expect(target.host == "93.184.215.14" && target.port == 8443 && target.address == "93.184.215.14")
        #expect(target.curlResolve == "93.184.215.14:8443:93.184.215.14")
        let v6 = try AddressPolicy().check(url: "http://[2606:4700::1111]/x")
        #expect(v6.curlResolve == "2606:4700::1111:80:[2606:4700::1111]")
    }

    @Test func theMeshsOwnHostsAreAllowListed() throws {
        let policy = AddressPolicy(allowedHosts: ["localhost", "127.0.0.1"])
        let local = try policy.check(url: "http://localhost:8082/v1/callbacks")
        #expect(local.address == "127.0.0.1" || local.address == "::1")
        #expect(try policy.check(url: "http://127.0.0.1:8081/").port == 8081)
        #expect(throws: AddressPolicy.Refusal.self) { try policy.check(url: "http://10.0.0.8/") }
    }

    @Test func classification() {
        #expect(AddressPolicy.forbidden("8.8.8.8") == nil)
        #expect(AddressPolicy.forbidden("100.63.255.255") == nil)
        #expect(AddressPolicy.forbidden("100.128.0.0") == nil)
        #expect(AddressPolicy.forbidden("100.127.255.255") != nil)
        #expect(AddressPolicy.forbidden("172.32.0.1") == nil)
        #expect(AddressPolicy.forbidden("172.31.255.255") != nil)
        #expect(AddressPolicy.forbidden("2606:4700::1111") == nil)
        #expect(AddressPolicy.forbidden("2400:3200::1") == nil)
        #expect(AddressPolicy.forbidden("198.20.0.1") == nil)
        #expect(AddressPolicy.forbidden("239.255.255.255") != nil && AddressPolicy.forbidden("223.255.255.255") == nil)
    }

    /// Every block of IANA's special-purpose registries, whatever its "globally reachable" column says.
    @Test(arguments: [
        "64:ff9b::a00:1", "64:ff9b:1::1", "::a00:1", "fec0::1", "2002:a00:1::1", "2001::1", "2001:db8::1", "100::1", "3fff::1", "5f00::1",
        "2620:4f:8000::1", "ff02::1", "::", "::1", "198.18.0.1", "198.19.255.255", "240.0.0.1", "255.255.255.255", "192.0.0.8", "192.0.0.170",
        "192.0.2.1", "198.51.100.1", "203.0.113.7", "192.88.99.1", "192.31.196.1", "192.175.48.1", "192.52.193.1", "0.1.2.3",
    ])
    func specialPurposeAddressesAreRefused(address: String) {
        #expect(AddressPolicy.forbidden(address) != nil, "\(address)")
    }
}

@Suite("HTTP client: pinned addresses")
struct PinnedAddressTests {
    @Test func aPinnedRequestConnectsToTheCheckedAddressWhateverTheNameSays() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database)
        // a name no DNS knows, pinned to the address the guard would have checked; one thread, so
        // the second request goes through the same curl handle and must not inherit the pin
        let client = HTTPClient(threads: 1)
        defer { client.shutdown() }
        let response = try await client.send(
            HTTPRequest(url: "http://gridmesh-pinned.invalid:\(patrold.port)/healthz", pinnedAddresses: ["gridmesh-pinned.invalid:\(patrold.port):127.0.0.1"]))
        #expect(response.status == 200)
        await #expect(throws: HTTPClientError.self) { try await client.send(HTTPRequest(url: "http://gridmesh-pinned.invalid:\(patrold.port)/healthz")) }
        _ = try await patrold.terminate()
    }
}

import Foundation
import GridCore
import Testing

@Suite("deploy: units, install script, graceful stop")
struct DeployTests {
    static let deployDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy").path
    static let units = [
        "gridmesh-migrate.service", "gridmesh-authd.service", "gridmesh-patrold.service", "gridmesh-meetingd.service", "gridmesh-reentryd.service",
        "gridmesh-vettingd.service", "gridmesh.target",
    ]

    /// Runs a command to completion; returns its status and everything it printed.
    func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func everyServiceScoresAtMostTwoInSystemdsSecurityAnalysis() throws {
        for unit in Self.units where unit.hasSuffix(".service") {
            let (_, output) = try run(["systemd-analyze", "security", "--offline=yes", "\(Self.deployDirectory)/systemd/\(unit)"])
            let line = try #require(output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(output)")
            let score = try #require(Double(line.split(separator: ":").last!.split(separator: " ").first!))
            #expect(score <= 2.0, "\(unit): \(line)")
        }
    }

    @Test func theUnitsVerify() throws {
        let directory = TestScratch.path("units-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for unit in Self.units {
            let text = try String(contentsOfFile: "\(Self.deployDirectory)/systemd/\(unit)", encoding: .utf8)
            // point ExecStart at the binaries just built, which verify checks are executable
            try text.replacingOccurrences(of: "/usr/lib/gridmesh/bin", with: DaemonProcess.binDirectory)
                .write(toFile: "\(directory)/\(unit)", atomically: true, encoding: .utf8)
        }
        let (status, output) = try run(["systemd-analyze", "verify", "--man=no"] + Self.units.map { "\(directory)/\($0)" })
        #expect(status == 0, "\(output)")
        #expect(!output.contains("gridmesh"), "\(output)")
    }

    @Test func installingTwiceIntoAScratchRootChangesNothingTheSecondTime() throws {
        let root = TestScratch.path("root-\(UUID().uuidString.prefix(8))")
        let install = ["bash", "\(Self.deployDirectory)/install", "--root", root, "--bin", DaemonProcess.binDirectory]
        let (first, firstOutput) = try run(install)
        #expect(first == 0, "\(firstOutput)")
        #expect(FileManager.default.isExecutableFile(atPath: "\(root)/usr/lib/gridmesh/bin/patrold"))
        let enabled = try FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/etc/systemd/system/multi-user.target.wants/gridmesh.target")
        #expect(enabled == "/etc/systemd/system/gridmesh.target")
        let signing = "\(root)/etc/gridmesh/credentials/token-signing.jwk"
        #expect(try FileManager.default.attributesOfItem(atPath: signing)[.posixPermissions] as? Int == 0o600)
        let env = try String(contentsOfFile: "\(root)/etc/gridmesh/patrold.env", encoding: .utf8)
        #expect(env.contains("user=patrold") && env.contains("GRIDMESH_HTTP_PORT=8081"))
        let authd = try String(contentsOfFile: "\(root)/etc/gridmesh/authd.env", encoding: .utf8)
        #expect(authd.contains("user=authd") && authd.contains("GRIDMESH_HTTP_PORT=8085"))
        let common = try String(contentsOfFile: "\(root)/etc/gridmesh/common.env", encoding: .utf8)
        #expect(common.contains("GRIDMESH_AUTHD_URL=http://127.0.0.1:8085"), "the daemons fetch keys and tokens from authd")
        let credentials = try FileManager.default.contentsOfDirectory(atPath: "\(root)/etc/gridmesh/credentials")
        #expect(!credentials.contains { $0.hasSuffix("service-token") }, "no long-lived service token: \(credentials)")

        let before = try snapshot(root)
        let (second, secondOutput) = try run(install)
        #expect(second == 0)
        #expect(secondOutput.contains("0 changes"), "\(secondOutput)")
        #expect(try snapshot(root) == before)

        let (removed, _) = try run(["bash", "\(Self.deployDirectory)/install", "--root", root, "--uninstall"])
        #expect(removed == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/usr/lib/gridmesh/bin/patrold"))
        #expect(FileManager.default.fileExists(atPath: signing), "keys and settings are kept")
    }

    /// Every file and link under the root with its size, mode, modification time and target.
    func snapshot(_ root: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)!
        var lines: [String] = []
        while let path = enumerator.nextObject() as? String {
            let full = "\(root)/\(path)"
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? ""
            lines.append("\(path) \(attributes[.size] ?? 0) \(attributes[.posixPermissions] ?? 0) \(attributes[.modificationDate] ?? "") \(link)")
        }
        return lines.sorted()
    }

    @Test func sigtermUnderLoadFinishesInFlightRequestsAndExitsZero() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let started = ContinuousClock.now
        let answered = Counter()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let body = #"{"id":"\#(UUID().uuidString)","category":"other","description":"负载 \#(index)","observed_at":"\#(TestSupport.anHourAgo)"}"#
                    let status = (try? await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body).status) ?? -1
                    answered.add()
                    return status
                }
            }
            // SIGTERM once the first answers are back and the rest are in flight
            #expect(try await TestSupport.eventually { answered.value >= 1 })
            patrold.process.terminate()
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let status = try await patrold.waitForExit(timeout: .seconds(30))
        #expect(status == 0)
        #expect(ContinuousClock.now - started < .seconds(30))
        // every request either completed, or was refused at connect once the port closed: none failed halfway
        #expect(statuses.allSatisfy { $0 == 201 || $0 == -1 }, "\(statuses)")
        #expect(statuses.contains(201), "some requests did succeed: \(statuses)")
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let stored = try await pool.query("SELECT count(*) FROM patrol.findings").first!.decode(Int.self, at: 0)
        #expect(stored == statuses.filter { $0 == 201 }.count, "every 201 was committed, nothing else")
        #expect(patrold.notifications.contains("STOPPING=1"))
    }
}

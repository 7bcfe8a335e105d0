import Foundation
import Testing

/// A Server-Sent Events stream read as a browser's fetch reads it: curl, unbuffered, into a file.
final class EventStream {
    let process = Process()
    let file = TestScratch.path("live-\(UUID().uuidString.prefix(8)).txt")

    init(_ url: String, token: String) throws {
        FileManager.default.createFile(atPath: file, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "-H", "Accept: text/event-stream", "-H", "Authorization: Bearer \(token)", "-o", file, url]
        try process.run()
    }

    var text: String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }

    deinit { process.terminate() }
}

@Suite("patrold: the live board, pushed as events commit, within the watcher's scope")
struct LiveBoardTests {
    @Test func aNewFindingReachesTheWatchersWhoseScopeHoldsItAndNoOthers() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let patrold = try await Mesh.start("patrold", database: database)
        let shuiguohu = try EventStream("\(patrold.baseURL)/v1/live", token: try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu"))
        let nanhu = try EventStream("\(patrold.baseURL)/v1/live", token: try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu"))
        #expect(try await TestSupport.eventually(timeout: .seconds(10)) { shuiguohu.text.contains(": connected") && nanhu.text.contains(": connected") })

        func submit(_ subject: String, _ grid: String) async throws -> String {
            let id = UUID().uuidString.lowercased()
            let body = #"{"id":"\#(id)","category":"environmental_sanitation","description":"垃圾","observed_at":"\#(TestSupport.anHourAgo)"}"#
            let response = try await Mesh.request(
                "POST", "\(patrold.baseURL)/v1/findings", token: try await TestKeys.token(subject, .gridWorker, "grid:\(grid)"), json: body)
            #expect(response.status == 201, "\(response.text)")
            return id
        }
        let ours = try await submit("zhangmin", "dongting-03")
        #expect(try await TestSupport.eventually(timeout: .seconds(10)) { shuiguohu.text.lowercased().contains(ours) }, "\(shuiguohu.text)")
        #expect(shuiguohu.text.contains("event: finding.submitted") && shuiguohu.text.contains(#""grid_code": "dongting-03""#))
        let theirs = try await submit("nanhu-worker", "nanhuhuayuan-01")
        #expect(try await TestSupport.eventually(timeout: .seconds(10)) { nanhu.text.lowercased().contains(theirs) }, "\(nanhu.text)")
        #expect(!nanhu.text.lowercased().contains(ours), "another street's finding is not pushed to nanhu")
        #expect(!shuiguohu.text.lowercased().contains(theirs))
    }

    @Test func theBoardIsForTheRolesThatWatchAndSpeaksOnlyEventStream() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let patrold = try await Mesh.start("patrold", database: database)
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        #expect(try await Mesh.request("GET", "\(patrold.baseURL)/v1/live", token: officer).status == 406)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        #expect(try await Mesh.request("GET", "\(patrold.baseURL)/v1/live", token: worker, headers: [("Accept", "text/event-stream")]).status == 403)
        #expect(try await Mesh.request("GET", "\(patrold.baseURL)/v1/live", headers: [("Accept", "text/event-stream")]).status == 401)
    }
}

import Foundation
import GridCore
import Testing

/// Review hole 11: a 404 for another street's meeting named that street, so ids could be probed
/// for where they belong.
@Suite("A record out of scope reads exactly as one that does not exist")
struct NotFoundTextTests {
    @Test func anotherStreetsMeetingAndActionItemAreIndistinguishableFromNone() async throws {
        let database = try await TestDatabase.make()
        defer { database.drop() }
        let meetingd = try await Mesh.start("meetingd", database: database)
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        let elsewhere = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        let meeting = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(meeting)","title":"碰头会","starts_at":"\#(TestClock.rfc3339(3600))","duration_minutes":60}"#
        #expect(try await Mesh.request("POST", "\(meetingd.baseURL)/v1/streets/shuiguohu/meetings", token: officer, json: body).status == 201)
        func detail(_ method: String, _ path: String, _ json: String? = nil) async throws -> String {
            let response = try await Mesh.request(method, "\(meetingd.baseURL)\(path)", token: elsewhere, json: json)
            #expect(response.status == 404, "\(path)")
            return try Mesh.json(response)["detail"] as? String ?? ""
        }
        let nobody = UUID().uuidString.lowercased()
        for (method, suffix, json) in [
            ("GET", "", nil), ("POST", "/start", #"{"present":[]}"#), ("POST", "/changes", #"{"action":"cancel","reason":"x"}"#),
            ("POST", "/agenda-items", #"{"title":"x","severity":1}"#),
        ] {
            let theirs = try await detail(method, "/v1/meetings/\(meeting)\(suffix)", json)
            let none = try await detail(method, "/v1/meetings/\(nobody)\(suffix)", json)
            #expect(theirs == none && !theirs.contains("shuiguohu"), "\(method) \(suffix): \(theirs) / \(none)")
        }
        _ = try await meetingd.terminate()
    }
}

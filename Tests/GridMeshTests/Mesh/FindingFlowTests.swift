import Foundation
import GridCore
import Testing

@Suite("A finding across two daemons")
struct FindingFlowTests {
    func finding(_ id: UUID, latitude: Double? = nil, longitude: Double? = nil) -> String {
        let location = latitude.map { #","latitude":\#($0),"longitude":\#(longitude!)"# } ?? ""
        return
            #"{"id":"\#(id.uuidString)","category":"environmental_sanitation","description":"东亭社区转角垃圾堆放"\#(location),"observed_at":"\#(TestSupport.anHourAgo)"}"#
    }

    @Test func aFindingPostedToPatroldIsHandledByMeetingd() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database)
        let meetingd = try await Mesh.start("meetingd", database: database)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")

        let id = UUID()
        // the phone retries: one finding, the first result each time
        var statuses: [Int] = []
        let body = finding(id)
        for _ in 0..<3 { statuses.append(try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: body).status) }
        #expect(statuses == [201, 200, 200])

        let intakeURL = "\(meetingd.baseURL)/v1/streets/shuiguohu/finding-intake"
        #expect(
            try await TestSupport.eventually(timeout: .seconds(5)) {
                let page = try Mesh.json(try await Mesh.request("GET", intakeURL, token: officer))
                return (page["items"] as? [[String: Any]])?.count == 1
            })
        let page = try Mesh.json(try await Mesh.request("GET", intakeURL, token: officer))
        let item = try #require((page["items"] as? [[String: Any]])?.first)
        #expect((item["finding_id"] as? String)?.lowercased() == id.uuidString.lowercased())
        #expect(item["grid_code"] as? String == "dongting-03")
        #expect(item["reporter"] == nil, "the event carries no personal data")

        // another street's officer cannot read Shuiguohu's intake
        let elsewhere = try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")
        #expect(try await Mesh.request("GET", intakeURL, token: elsewhere).status == 404)
        _ = try await patrold.terminate()
        _ = try await meetingd.terminate()
    }

    @Test func aFindingPostedWhileMeetingdIsDownIsHandledWhenItStarts() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let ids = [UUID(), UUID()]
        for id in ids {
            #expect(try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: finding(id)).status == 201)
        }
        let meetingd = try await Mesh.start("meetingd", database: database)
        let officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        #expect(
            try await TestSupport.eventually(timeout: .seconds(10)) {
                let page = try Mesh.json(try await Mesh.request("GET", "\(meetingd.baseURL)/v1/streets/shuiguohu/finding-intake", token: officer))
                return (page["items"] as? [[String: Any]])?.count == 2
            })
        _ = try await patrold.terminate()
        _ = try await meetingd.terminate()
    }

    @Test func aLocationOutsideTheReportersGridIsRefusedAndScopeHoldsOnReads() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database)
        let worker = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let centre = try await pool.query("SELECT ST_Y(ST_Centroid(boundary)), ST_X(ST_Centroid(boundary)) FROM geo.grids WHERE code = 'dongting-03'").first!
        let (lat, lon) = (try centre.decode(Double.self, at: 0), try centre.decode(Double.self, at: 1))

        let inside = UUID()
        #expect(
            try await Mesh.request("POST", "\(patrold.baseURL)/v1/findings", token: worker, json: finding(inside, latitude: lat, longitude: lon)).status == 201)
        let outside = try await Mesh.request(
            "POST", "\(patrold.baseURL)/v1/findings", token: worker, json: finding(UUID(), latitude: lat + 0.05, longitude: lon))
        #expect(outside.status == 422)
        #expect(try Mesh.json(outside)["type"] as? String == "https://gridmesh.example/problems/outside-grid")

        // the same id for a different submission is a conflict, not an overwrite
        let reused = try await Mesh.request(
            "POST", "\(patrold.baseURL)/v1/findings", token: worker,
            json: finding(inside, latitude: lat, longitude: lon).replacingOccurrences(of: "垃圾堆放", with: "别的"))
        #expect(reused.status == 409)

        let url = "\(patrold.baseURL)/v1/findings/\(inside.uuidString)"
        #expect(try await Mesh.request("GET", url, token: try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")).status == 200)
        #expect(try await Mesh.request("GET", url, token: try await TestKeys.token("dongting-staff", .communityStaff, "community:dongting")).status == 200)
        #expect(try await Mesh.request("GET", url, token: try await TestKeys.token("nanhu-officer", .streetOfficer, "street:nanhu")).status == 404)
        #expect(try await Mesh.request("GET", url, token: try await TestKeys.token("lihua", .gridWorker, "grid:dongting-05")).status == 404)
        #expect(try await Mesh.request("GET", "\(patrold.baseURL)/v1/findings/not-a-uuid", token: worker).status == 400)
        _ = try await patrold.terminate()
    }
}

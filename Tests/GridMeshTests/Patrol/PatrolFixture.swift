import Foundation
import GridCore
import HTTPClient
import Testing

/// patrold running against its own test database, with the tokens of the Shuiguohu cast.
struct PatrolFixture {
    let database: TestDatabase
    let patrold: DaemonProcess
    let zhangmin: String
    let chenjie: String
    let lihua: String
    let officer: String
    let cityHead: String
    let policeHead: String
    let command: String

    init(extra: [String: String] = [:]) async throws {
        database = try await TestDatabase.make()
        patrold = try await Mesh.start("patrold", database: database, extra: extra)
        zhangmin = try await TestKeys.token("zhangmin", .gridWorker, "grid:dongting-03")
        chenjie = try await TestKeys.token("chenjie", .gridWorker, "grid:dongting-03")
        lihua = try await TestKeys.token("lihua", .gridWorker, "grid:dongting-05")
        officer = try await TestKeys.token("sgh-officer", .streetOfficer, "street:shuiguohu")
        cityHead = try await TestKeys.token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        policeHead = try await TestKeys.token("sgh-police", .agencyHead, "street:shuiguohu", agency: "shuiguohu/police_station")
        command = try await TestKeys.token("command", .commandCentre, "district")
    }

    var url: String { patrold.baseURL }

    /// The centre of a grid, in WGS84.
    func centre(of grid: String) async throws -> (Double, Double) {
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let row = try await pool.query("SELECT ST_Y(ST_Centroid(boundary)), ST_X(ST_Centroid(boundary)) FROM geo.grids WHERE code = $1", [grid]).first!
        return (try row.decode(at: 0), try row.decode(at: 1))
    }

    @discardableResult
    func submit(
        _ token: String, id: UUID = UUID(), category: String = "environmental_sanitation", description: String = "转角垃圾堆放",
        extra: String = "", expect status: Int = 201
    ) async throws -> [String: Any] {
        let body = #"{"id":"\#(id.uuidString)","category":"\#(category)","description":"\#(description)","observed_at":"\#(TestSupport.anHourAgo)"\#(extra)}"#
        let response = try await Mesh.request("POST", "\(url)/v1/findings", token: token, json: body)
        guard response.status == status else { throw Failure("submitting: expected \(status), got \(response.status) \(response.text)") }
        return try Mesh.json(response)
    }

    /// Submits a finding (201) and returns its id, lower-cased.
    func newFinding(
        _ token: String, category: String = "environmental_sanitation", description: String = "转角垃圾堆放", extra: String = ""
    ) async throws -> String {
        let submitted = try await submit(token, category: category, description: description, extra: extra)
        guard let id = submitted["id"] as? String else { throw Failure("a submitted finding without an id: \(submitted)") }
        return id.lowercased()
    }

    func act(_ token: String, _ id: String, _ body: String) async throws -> HTTPResponse {
        try await Mesh.request("POST", "\(url)/v1/findings/\(id)/transitions", token: token, json: body)
    }

    @discardableResult
    func step(_ token: String, _ id: String, _ body: String, expect status: Int = 200) async throws -> [String: Any] {
        let response = try await act(token, id, body)
        guard response.status == status else { throw Failure("\(body): expected \(status), got \(response.status) \(response.text)") }
        return try Mesh.json(response)
    }

    func get(_ token: String, _ path: String) async throws -> HTTPResponse {
        try await Mesh.request("GET", "\(url)\(path)", token: token)
    }

    func listIDs(_ token: String, _ query: String = "") async throws -> [String] {
        let page = try Mesh.json(try await get(token, "/v1/findings\(query)"))
        return ((page["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
    }
}

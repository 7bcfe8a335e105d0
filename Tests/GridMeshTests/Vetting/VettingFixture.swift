import Foundation
import GridCore
import HTTPClient
import Testing

/// vettingd (and, when asked, reentryd and patrold for the cross-checks) on a test database, with
/// the Shuiguohu election officers 吴 and 郑, and an officer of another street.
struct VettingFixture {
    let database: TestDatabase
    let vettingd: DaemonProcess
    let wu: String
    let zheng: String
    let otherStreet: String
    let command: String

    init(peers: [String: String] = [:], database existing: TestDatabase? = nil) async throws {
        if let existing {
            database = existing
        } else {
            database = try await TestDatabase.make()
        }
        var environment = peers.merging(["GRIDMESH_WEBHOOK_ALLOW_HOSTS": "127.0.0.1"]) { old, _ in old }
        if !peers.isEmpty {
            let tokenFile = TestScratch.path("svc-vettingd-\(UUID().uuidString.prefix(8)).token")
            try (try await TestKeys.token("svc-vettingd", .service, "district")).write(toFile: tokenFile, atomically: true, encoding: .utf8)
            environment["GRIDMESH_SERVICE_TOKEN_FILE"] = tokenFile
            environment["GRIDMESH_CROSS_CHECK_MS"] = "100"
        }
        vettingd = try await Mesh.start("vettingd", database: database, extra: environment)
        wu = try await TestKeys.token("election-wu", .electionOfficer, "street:shuiguohu")
        zheng = try await TestKeys.token("election-zheng", .electionOfficer, "street:shuiguohu")
        otherStreet = try await TestKeys.token("election-jyq", .electionOfficer, "street:jiyuqiao")
        command = try await TestKeys.token("command", .commandCentre, "district")
    }

    var url: String { vettingd.baseURL }

    func send(_ method: String, _ path: String, _ token: String, _ body: String? = nil) async throws -> HTTPResponse {
        try await Mesh.request(method, "\(url)\(path)", token: token, json: body)
    }

    /// Opens Dongting's 2026 cycle; returns its id.
    func openCycle(community: String = "dongting", token: String? = nil) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let response = try await send(
            "POST", "/v1/cycles", token ?? wu, #"{"id":"\#(id)","community_code":"\#(community)","term":"2026","planned_election_on":"2026-12-20"}"#)
        #expect(response.status == 201, "\(response.text)")
        return id
    }

    /// Ticks every item of the campaigns that feed `gate`.
    func completeChecklists(_ cycle: String, for gate: String) async throws {
        let campaigns: [String: [String: [String]]] = [
            "inspection": ["survey": ["candidate_pool", "household_visits", "clan_and_gang_risks"], "evaluation": ["term_report", "evaluation_published"]],
            "audit": ["audit": ["collective_assets", "outgoing_accountability"]],
            "rectification": ["rectification": ["weak_organisation", "issues_closed"]],
            "assessment": ["assessment": ["risk_assessment", "joint_review"], "reserve": ["reserve_list", "training_plan"]],
        ]
        for (campaign, items) in campaigns[gate]! {
            for item in items {
                #expect(try await send("PUT", "/v1/cycles/\(cycle)/campaigns/\(campaign)/\(item)", wu, #"{"done":true}"#).status == 200)
            }
        }
    }

    /// Starts a gate, completes its checklists and has both officers sign it off.
    func pass(_ cycle: String, _ gate: String, start: Bool = true) async throws {
        if start { #expect(try await send("POST", "/v1/cycles/\(cycle)/gates/\(gate)/start", wu).status == 200) }
        try await completeChecklists(cycle, for: gate)
        for token in [wu, zheng] {
            let response = try await send(
                "POST", "/v1/cycles/\(cycle)/gates/\(gate)/signoffs", token, #"{"decision":"pass","findings":"符合要求","evidence":["卷宗-\#(gate)"]}"#)
            #expect(response.status == 200, "\(response.text)")
        }
    }

    func gateState(_ cycle: String, _ gate: String) async throws -> String? {
        let detail = try Mesh.json(try await send("GET", "/v1/cycles/\(cycle)", wu))
        return (detail["gates"] as? [[String: Any]])?.first { $0["gate"] as? String == gate }?["state"] as? String
    }

    func cycleState(_ cycle: String) async throws -> String? {
        (try Mesh.json(try await send("GET", "/v1/cycles/\(cycle)", wu))["cycle"] as? [String: Any])?["state"] as? String
    }
}

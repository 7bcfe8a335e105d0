import Foundation
import GridCore
import Testing

/// The four daemons on one test database, with data in two streets — Shuiguohu (ours) and
/// Jiyuqiao (theirs) — and a token of every role: a caller of each role in Shuiguohu, and the
/// street-scoped roles again in Jiyuqiao. The markers are the text and ids each street's records
/// carry, so a response can be searched for rows of a scope it should not show.
final class MatrixMesh: @unchecked Sendable {
    struct Caller: Sendable {
        let name: String
        let role: Role
        let token: String
        /// A caller of the other street, for whom no Shuiguohu record may show.
        let otherStreet: Bool
    }

    let database: TestDatabase
    let daemons: [String: DaemonProcess]
    private(set) var callers: [Caller] = []
    /// Ids of Shuiguohu's records by the path segment that names them (`findings`, `meetings`, …).
    private(set) var ours: [String: String] = [:]
    /// Text and ids of Shuiguohu's records no Jiyuqiao caller may see.
    private(set) var ourMarkers: [String] = []
    /// Text and ids of Jiyuqiao's records no Shuiguohu caller scoped below the district may see.
    private(set) var theirMarkers: [String] = []
    /// The confidential clue's text: for the command centre and discipline inspectors only.
    let clueText = "矩阵线索-\(UUID().uuidString.prefix(8))"
    /// The supervised person's ID number: for caseworkers and discipline inspectors only.
    let nationalID = ReentryFixture.wangQiang.id

    init() async throws {
        database = try await TestDatabase.make()
        let tokenFile = { (daemon: String) in TestScratch.path("matrix-\(UUID().uuidString.prefix(8))-\(daemon).token") }
        var daemons: [String: DaemonProcess] = [:]
        let patrold = try await Mesh.start("patrold", database: database)
        daemons["patrold"] = patrold
        var peers: [String: String] = ["GRIDMESH_PATROLD_URL": patrold.baseURL]
        for daemon in ["reentryd", "vettingd", "meetingd"] {
            let file = tokenFile(daemon)
            try (try await TestKeys.token("svc-\(daemon)", .service, "district")).write(toFile: file, atomically: true, encoding: .utf8)
            var environment = peers.merging(["GRIDMESH_SERVICE_TOKEN_FILE": file]) { _, new in new }
            environment["GRIDMESH_WEBHOOK_ALLOW_HOSTS"] = "127.0.0.1"
            environment["GRIDMESH_VISIT_REQUEST_MS"] = "100"
            let process = try await Mesh.start(daemon, database: database, extra: environment)
            daemons[daemon] = process
            if daemon == "reentryd" { peers["GRIDMESH_REENTRYD_URL"] = process.baseURL }
        }
        self.daemons = daemons
        try await enlist()
        try await seed()
    }

    func url(_ daemon: String) -> String { daemons[daemon]!.baseURL }

    func token(_ name: String) -> String { callers.first { $0.name == name }!.token }

    private func enlist() async throws {
        let cast: [(String, Role, String, String?, Bool)] = [
            ("zhangmin", .gridWorker, "grid:dongting-03", nil, false),
            ("dongting-staff", .communityStaff, "community:dongting", nil, false),
            ("sgh-officer", .streetOfficer, "street:shuiguohu", nil, false),
            ("sgh-city", .agencyHead, "street:shuiguohu", "shuiguohu/city_management", false),
            ("supervisor-sun", .caseworker, "street:shuiguohu", nil, false),
            ("election-wu", .electionOfficer, "street:shuiguohu", nil, false),
            ("command", .commandCentre, "district", nil, false),
            ("inspector-qian", .disciplineInspector, "district", nil, false),
            ("auditor-he", .auditor, "district", nil, false),
            ("svc-meetingd", .service, "district", nil, false),
            ("admin", .admin, "district", nil, false),
            ("jyq-worker", .gridWorker, "grid:jiyuqiao-01", nil, true),
            ("jyq-staff", .communityStaff, "community:jiyuqiao", nil, true),
            ("jyq-officer", .streetOfficer, "street:jiyuqiao", nil, true),
            ("jyq-city", .agencyHead, "street:jiyuqiao", "jiyuqiao/city_management", true),
            ("jyq-supervisor", .caseworker, "street:jiyuqiao", nil, true),
            ("election-jyq", .electionOfficer, "street:jiyuqiao", nil, true),
        ]
        for (name, role, scope, agency, other) in cast {
            callers.append(Caller(name: name, role: role, token: try await TestKeys.token(name, role, scope, agency: agency), otherStreet: other))
        }
    }

    /// A finding, a clue, a meeting, a rectification order, a supervision case and an election
    /// cycle in Shuiguohu; a finding and a meeting in Jiyuqiao.
    private func seed() async throws {
        let ourFinding = try await finding(by: "zhangmin", officer: "sgh-officer", text: "甲街垃圾-\(UUID().uuidString.prefix(8))")
        let theirFinding = try await finding(by: "jyq-worker", officer: "jyq-officer", text: "乙街垃圾-\(UUID().uuidString.prefix(8))")
        ours["findings"] = ourFinding.id
        ourMarkers += [ourFinding.id, ourFinding.text]
        theirMarkers += [theirFinding.id, theirFinding.text]

        let clue = UUID().uuidString.lowercased()
        try await expectCreated(
            "POST", url("patrold") + "/v1/findings", "zhangmin",
            #"{"id":"\#(clue)","category":"gambling_den","description":"\#(clueText)","observed_at":"\#(TestClock.rfc3339(-3600))"}"#, 202)
        ours["clues"] = clue

        let ourMeeting = try await meeting(street: "shuiguohu", officer: "sgh-officer", title: "甲街碰头会-\(UUID().uuidString.prefix(8))")
        let theirMeeting = try await meeting(street: "jiyuqiao", officer: "jyq-officer", title: "乙街碰头会-\(UUID().uuidString.prefix(8))")
        ours["meetings"] = ourMeeting.id
        ourMarkers += [ourMeeting.id, ourMeeting.title]
        theirMarkers += [theirMeeting.id, theirMeeting.title]

        let order = UUID().uuidString.lowercased()
        let notice = "甲街整改-\(UUID().uuidString.prefix(8))"
        try await expectCreated(
            "POST", url("meetingd") + "/v1/streets/shuiguohu/rectifications", "sgh-officer",
            #"{"id":"\#(order)","target_kind":"community","target_code":"dongting","notice":"\#(notice)","deadline":"\#(TestClock.today.adding(days: 7))"}"#)
        ours["rectifications"] = order
        ourMarkers += [order, notice]

        let caseID = UUID()
        try await expectCreated("POST", url("reentryd") + "/v1/cases", "supervisor-sun", ReentryFixture.caseBody(id: caseID))
        ours["cases"] = caseID.uuidString.lowercased()
        ourMarkers += [caseID.uuidString.lowercased()]
        // the case's first home visit travels to patrold in the background: let it arrive
        let pool = database.pool(size: 1)
        defer { pool.close() }
        try await TestSupport.within {
            while try await pool.query("SELECT 1 FROM patrol.visit_requests").count == 0 { try await Task.sleep(for: .milliseconds(100)) }
        }

        let cycle = UUID().uuidString.lowercased()
        try await expectCreated(
            "POST", url("vettingd") + "/v1/cycles", "election-wu",
            #"{"id":"\#(cycle)","community_code":"dongting","term":"2026","planned_election_on":"\#(TestClock.today.adding(days: 30))"}"#)
        ours["cycles"] = cycle
        ourMarkers += [cycle]
    }

    private func finding(by worker: String, officer: String, text: String) async throws -> (id: String, text: String) {
        let id = UUID().uuidString.lowercased()
        try await expectCreated(
            "POST", url("patrold") + "/v1/findings", worker,
            #"{"id":"\#(id)","category":"environmental_sanitation","description":"\#(text)","observed_at":"\#(TestClock.rfc3339(-3600))"}"#)
        let dispatched = try await Mesh.request(
            "POST", url("patrold") + "/v1/findings/\(id)/transitions", token: token(officer), json: #"{"action":"dispatch"}"#)
        guard dispatched.status == 200 else { throw Failure("dispatching \(id): \(dispatched.status) \(dispatched.text)") }
        return (id, text)
    }

    private func meeting(street: String, officer: String, title: String) async throws -> (id: String, title: String) {
        let id = UUID().uuidString.lowercased()
        try await expectCreated(
            "POST", url("meetingd") + "/v1/streets/\(street)/meetings", officer,
            #"{"id":"\#(id)","title":"\#(title)","starts_at":"\#(TestClock.rfc3339(86400))","duration_minutes":60}"#)
        return (id, title)
    }

    private func expectCreated(_ method: String, _ url: String, _ caller: String, _ body: String, _ status: Int = 201) async throws {
        let response = try await Mesh.request(method, url, token: token(caller), json: body)
        guard response.status == status else { throw Failure("\(method) \(url) as \(caller): \(response.status) \(response.text)") }
    }

    /// A digest of every row of every daemon's tables: equal before and after means nothing changed.
    func digest() async throws -> [String] {
        let pool = database.pool(size: 1)
        defer { pool.close() }
        let tables = try await pool.query(
            """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_schema IN ('patrol', 'meeting', 'reentry', 'vetting') AND table_type = 'BASE TABLE' ORDER BY 1
            """
        ).map { try $0.decode(String.self, at: 0) }
        var parts: [String] = []
        for table in tables {
            let row = try await pool.query("SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t")
            parts.append("\(table)=\(try row.first!.decode(String.self, at: 0))")
        }
        return parts
    }

    func stop() async {
        for process in daemons.values { try? await process.kill() }
        database.drop()
    }
}

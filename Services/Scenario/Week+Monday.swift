import Foundation
import GridCore

/// Monday: 张敏's patrol, the finding and the clue; the dispatch.
extension ShuiguohuWeek {
    /// The rubbish corner in grid 东亭-03 (WGS84), and the other two spots of the week.
    static let corner = Coordinates(latitude: 30.5570, longitude: 114.3386)
    static let fortyMetresOff = Coordinates(latitude: 30.55736, longitude: 114.3386)
    static let otherCorner = Coordinates(latitude: 30.5586, longitude: 114.3392)
    /// A real 1×1 PNG: the photo of the corner.
    static let photo = [UInt8](
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)

    func monday() async throws {
        try at("2026-11-16T08:30:00", "Monday 16 November")
        try await patrolAndReports()
        try await pause()
        try at("2026-11-16T10:00:00", "Monday, 10:00")
        try await dispatch()
        try await pause()
    }

    /// A finding body as 张敏's app sends it: GCJ-02 coordinates, observed a few minutes ago.
    func findingBody(_ id: String, at point: Coordinates, description: String, patrol: String? = nil, category: String = "environmental_sanitation")
        -> String
    {
        let gcj = Coordinates.wgsToGCJ(point)
        let observed = RFC3339.format(meshNow.addingTimeInterval(-180))
        let patrolField = patrol.map { #","patrol_id":"\#($0)""# } ?? ""
        return
            #"{"id":"\#(id)","category":"\#(category)","description":"\#(description)","latitude":\#(gcj.latitude),"longitude":\#(gcj.longitude),"coord_system":"gcj02","observed_at":"\#(observed)"\#(patrolField)}"#
    }

    func patrolAndReports() async throws {
        begin(1, "张敏 patrols grid 东亭-03; her network drops twice and the app retries with the same ids")
        let patrol = UUID().uuidString.lowercased()
        try await call("POST", "\(mesh.patrold)/v1/patrols", cast.zhangmin, #"{"id":"\#(patrol)"}"#, expect: 201)
        ids.rubbish = UUID().uuidString.lowercased()
        let body = findingBody(ids.rubbish, at: Self.corner, description: "东亭三街转角垃圾堆放，已有异味", patrol: patrol)
        let first = try await call("POST", "\(mesh.patrold)/v1/findings", cast.zhangmin, body, expect: 201).json
        for _ in 0..<2 { try await call("POST", "\(mesh.patrold)/v1/findings", cast.zhangmin, body, expect: 200) }
        let photos = "\(mesh.patrold)/v1/findings/\(ids.rubbish)/photos"
        let token = try await cast.zhangmin.token(for: photos)
        let uploaded = try await client.sendBytes(photos, token: token, bytes: Self.photo, contentType: "image/png")
        let again = try await client.sendBytes(photos, token: token, bytes: Self.photo, contentType: "image/png")
        try expect(uploaded.status == 201 && again.status == 200, "the photo is stored once (201, then 200): \(uploaded.status), \(again.status)")
        ids.clue = UUID().uuidString.lowercased()
        let clue = findingBody(ids.clue, at: Self.otherCorner, description: "地下室疑似赌博窝点，夜间人员聚集", category: "gambling_den")
        let received = try await call("POST", "\(mesh.patrold)/v1/findings", cast.zhangmin, clue, expect: 202).json
        try await call("POST", "\(mesh.patrold)/v1/findings", cast.zhangmin, clue, expect: 200)
        try expect(received["kind"].string == "clue" && received["state"].string == "received", "a clue is received into the ledger: \(received)")
        try await call("POST", "\(mesh.patrold)/v1/patrols/\(patrol)/end", cast.zhangmin, "{}", expect: 200)
        try await actionsDone(1)

        // one finding, in WGS84, however many times the app retried
        let listed = try await get("\(mesh.patrold)/v1/findings?grid=dongting-03", cast.officer)["items"].array
        try expect(listed.filter { $0["id"].id == ids.rubbish }.count == 1, "the retried finding is stored once")
        let stored = try await get("\(mesh.patrold)/v1/findings/\(ids.rubbish)", cast.officer)["finding"]
        let (latitude, longitude) = (stored["latitude"].double ?? 0, stored["longitude"].double ?? 0)
        try expect(
            abs(latitude - Self.corner.latitude) < 2e-5 && abs(longitude - Self.corner.longitude) < 2e-5,
            "stored in WGS84 at the corner (\(latitude), \(longitude)), not GCJ-02 (\(first["latitude"]))")
        try expect(stored["grid_code"].string == "dongting-03", "the finding lies in grid 东亭-03")
        try expect(try await get(photos, cast.officer).array.count == 1, "one photo")
        say(
            "patrold: one finding (环境卫生) stored in WGS84 at \(String(format: "%.5f, %.5f", latitude, longitude)), with one photo — after three tries of each")

        // the clue: in the ledger for the command centre, nowhere else
        try expect(
            try await get("\(mesh.patrold)/v1/clues", cast.command)["items"].array.contains { $0["id"].id == ids.clue }, "the command centre sees the clue")
        try await call("GET", "\(mesh.patrold)/v1/clues", cast.officer, expect: 403)
        try await call("GET", "\(mesh.patrold)/v1/findings/\(ids.clue)", cast.officer, expect: 404)
        let ledger = try await call("GET", "\(mesh.patrold)/v1/findings?street=shuiguohu", cast.officer, expect: 200).text
        let open311 = try await call("GET", "\(mesh.patrold)/open311/v2/requests.json", cast.officer, expect: 200).text
        let csv = try await call("GET", "\(mesh.patrold)/v1/findings?format=csv", cast.officer, expect: 200).text
        try expect(csv.contains(ids.rubbish), "the CSV export lists the finding")
        for (place, text) in [("the street officer's list", ledger), ("Open311", open311), ("the CSV export", csv)] {
            try expect(!text.contains(ids.clue) && !text.contains("赌博"), "the clue is not in \(place)")
        }
        let audit = try await get("\(mesh.patrold)/v1/audit?target=clue:\(ids.clue)", cast.auditor)["entries"].array
        try expect(
            audit.contains { $0["action"].string == "clue.read" && $0["actor"].string == "command" },
            "the command centre's read of the clue is in the audit log: \(audit)")
        say("patrold: the clue (赌博窝点) went to the confidential ledger — the command centre sees it, and its read is audited;")
        say("         the street officer, Open311 and the CSV export do not")
    }

    func dispatch() async throws {
        begin(2, "The street officer triages the finding and dispatches it to the city management squad, 3 working days")
        try await call("POST", "\(mesh.patrold)/v1/findings/\(ids.rubbish)/transitions", cast.officer, #"{"action":"triage"}"#, expect: 200)
        let dispatched = try await call(
            "POST", "\(mesh.patrold)/v1/findings/\(ids.rubbish)/transitions", cast.officer,
            #"{"action":"dispatch","agency_code":"shuiguohu/city_management","deadline_working_days":3}"#, expect: 200
        ).json
        try await actionsDone(2)
        // Monday + 3 working days: the end of Thursday, Beijing time
        try expect(dispatched["deadline_at"].string == "2026-11-19T15:59:59.999Z", "due at the end of Thursday: \(dispatched["deadline_at"])")
        try expect(dispatched["agency_code"].string == "shuiguohu/city_management", "dispatched to the squad")
        say("patrold: dispatched to 水果湖城管中队, due Thursday 19 November 23:59")
        try await expectDelivery("city-management", "finding.dispatched", about: ids.rubbish)
    }
}

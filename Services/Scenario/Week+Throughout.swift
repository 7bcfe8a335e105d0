import Foundation

/// What holds throughout the week: every delivery once, nothing personal in any event, every
/// personal-data read audited and every audit chain intact. Then what the week left.
extension ShuiguohuWeek {
    func throughout() async throws {
        step = "throughout"
        settings.say("\nThroughout the week")
        try await eventually("every daemon has delivered every webhook of the week (none pending, none dead)") {
            try await allDelivered()
        }
        var records: [JSON] = []
        try await eventually("the receiver has every webhook the week made") {
            records = try await received()
            return expectedDeliveries.allSatisfy { delivery in records.contains { matches($0, delivery) } }
        }
        let business = records.filter { $0["name"].string != "archive" }
        try expect(business.count == expectedDeliveries.count, "exactly the \(expectedDeliveries.count) deliveries the week made, got \(business.count)")
        let ids = records.compactMap { record in record["name"].string.map { "\($0) \(record["id"].string ?? "")" } }
        try expect(Set(ids).count == ids.count, "each delivery received once")
        say("webhooks: \(business.count) to the back offices, each once, signed; \(records.count - business.count) to the archive")

        let archive = records.filter { $0["name"].string == "archive" }
        for record in archive {
            let body = record["body"].string ?? ""
            try expectNothingPersonal(in: body, "event \(record["type"].string ?? "")")
            try expect(!body.contains(Self.chenLi.nationalID) && !body.contains(Self.chenLi.name), "no candidate's identity in events")
        }
        say("events: \(archive.count) crossed the mesh, none with a name, ID number, address or phone")

        let reads: [(String, String, String)] = [
            (mesh.patrold, "clue.read", "command"), (mesh.reentryd, "person.read", "caseworker-liu"), (mesh.reentryd, "contacts.read", "caseworker-liu"),
            (mesh.vettingd, "screening.read", "election-wu"),
        ]
        for (url, action, actor) in reads {
            let entries = try await get("\(url)/v1/audit?action=\(action)&actor=\(actor)", cast.auditor)["entries"].array
            try expect(!entries.isEmpty, "\(actor)'s \(action) is in the audit log")
        }
        for daemon in mesh.daemons {
            let verified = try await get("\(daemon.url)/v1/audit?verify=true&limit=1", cast.auditor)
            try expect(verified["verified"].bool == true, "\(daemon.name)'s audit chain verifies: \(verified["breaks"])")
        }
        say("audit: every personal-data read is logged (the clue, the case record and its contacts, the screening); all four chains verify")

        for (label, id) in [("rubbish", self.ids.rubbish), ("duplicate", self.ids.duplicate), ("second", self.ids.second)] {
            outcome.findings[label] = try await get("\(mesh.patrold)/v1/findings/\(id)", cast.officer)["finding"]["state"].string
        }
        let item = try await get("\(mesh.meetingd)/v1/action-items/\(self.ids.actionItem)", cast.officer)
        outcome.actionItem = item["state"].string
        outcome.linkedFindings = item["linked_findings"].array.compactMap { $0["state"].string }.sorted()
        outcome.deliveries = business.map { "\($0["name"].string ?? "") \($0["type"].string ?? "")" }.sorted()
        outcome.archivedTopics = Set(archive.compactMap { $0["type"].string }).sorted()
        try expect(outcome.findings == ["rubbish": "closed", "duplicate": "merged", "second": "closed"], "the findings end closed: \(outcome.findings)")
        settings.say("\nThe week is over: every step held.")
    }

    /// Whether every daemon's deliveries to the receiver are delivered, as their delivery logs show.
    func allDelivered() async throws -> Bool {
        for daemon in mesh.daemons {
            for endpoint in try await get("\(daemon.url)/v1/webhooks", cast.admin).array where endpoint["url"].string?.hasPrefix(mesh.receiver) == true {
                let log = try await get("\(daemon.url)/v1/webhooks/\(endpoint["id"].id ?? "")/deliveries?limit=200", cast.admin).array
                if log.contains(where: { $0["state"].string != "delivered" }) { return false }
            }
        }
        return true
    }
}

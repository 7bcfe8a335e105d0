import Daemon
import Foundation
import GridCore
import Hummingbird

/// `/v1/assessment`: the loop's figures per grid, community, street or agency, as JSON or CSV.
enum AssessmentRoutes {
    static func register(on routes: APIRoutes, store: FindingStore) {
        routes.add(
            APIOperation(
                .get, "/v1/assessment", id: "assessment", summary: "Counts, on-time rate, handling time, reopen rate and satisfaction per group",
                tag: "assessment", access: .roles(.streetOfficer, .communityStaff, .agencyHead, .commandCentre, .disciplineInspector, .auditor),
                parameters: [
                    .query("group_by", Schema.string(enum: AssessmentGrouping.allCases.map(\.rawValue))), .query("from", Schema.dateTime),
                    .query("to", Schema.dateTime), .query("format", Schema.string(enum: ["json", "csv"])),
                ],
                replies: [
                    .init(200, "One row per group", Schema.array(["type": "object"])),
                    .init(200, "The same as CSV (UTF-8 with BOM)", Schema.string(), contentType: "text/csv"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let query = request.uri.queryParameters
            guard let grouping = AssessmentGrouping(rawValue: query.get("group_by") ?? "street") else {
                throw Problem.badRequest("group_by must be grid, community, street or agency", errors: [.init(field: "group_by", message: "is not a grouping")])
            }
            let to = try query.get("to").map { try date($0, "to") } ?? store.clock.now()
            let from = try query.get("from").map { try date($0, "from") } ?? to.addingTimeInterval(-30 * 86400)
            guard from < to, to.timeIntervalSince(from) <= 366 * 86400 else {
                throw Problem.badRequest("from must be before to, at most a year apart", errors: [.init(field: "from", message: "not a valid period")])
            }
            let english = Language.prefersEnglish(request)
            let rows = try await store.assessment(by: grouping, from: from, to: to, english: english, for: principal)
            guard CSVResponse.wanted(request) else { return try APICoding.response(.ok, rows) }
            let header =
                english
                ? [
                    "code", "name", "findings", "dispatched", "resolved", "closed", "on time", "on-time rate", "mean handling hours", "reopened", "reopen rate",
                    "satisfaction", "ratings", "overdue marks",
                ]
                : ["编码", "名称", "上报数", "派遣数", "处置数", "结案数", "按期处置数", "按期率", "平均处置时长(小时)", "重启数", "重启率", "满意度", "评价数", "督办数"]
            func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
            let lines = rows.map { row in
                [
                    row.code, row.name, String(row.findings), String(row.dispatched), String(row.resolved), String(row.closed), String(row.onTime),
                    number(row.onTimeRate), number(row.meanHandlingHours), String(row.reopened), number(row.reopenRate), number(row.satisfaction),
                    String(row.ratings), String(row.overdueMarks),
                ]
            }
            return CSVResponse.make(header: header, rows: lines, filename: "assessment-\(grouping.rawValue).csv")
        }
    }

    static func date(_ text: String, _ field: String) throws -> Date {
        guard let date = RFC3339.parse(text) else {
            throw Problem.badRequest("\(field) must be an RFC 3339 time", errors: [.init(field: field, message: "must be an RFC 3339 time")])
        }
        return date
    }
}

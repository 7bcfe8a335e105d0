import Foundation
import GridCore
import HTTPClient
import PersonalData
import Testing

/// reentryd (and, when asked, patrold) on a test database, with the tokens of the reentry cast:
/// the Dongting pair 刘社工 and 赵警官, their supervisor 孙主任, others for the refusals.
struct ReentryFixture {
    let database: TestDatabase
    let reentryd: DaemonProcess
    let patrold: DaemonProcess?
    let authd: DaemonProcess?
    let supervisor: String
    let liu: String
    let zhao: String
    let ma: String
    let gao: String
    let inspector: String
    let command: String
    let lihua: String
    let vetting: String

    /// Today on the mesh clock, read afresh each time (a run may cross midnight).
    static var today: CalendarDate { TestClock.today }

    init(withPatrold: Bool = false, extra: [String: String] = [:], database existing: TestDatabase? = nil) async throws {
        if let existing {
            database = existing
        } else {
            database = try await TestDatabase.make()
        }
        var environment = ["GRIDMESH_SUPERVISION_MS": "200"].merging(extra) { _, new in new }
        if withPatrold {
            // as deployed: reentryd gets its tokens for patrold from authd with its client secret
            let patrold = try await Mesh.start("patrold", database: database)
            let authd = try await Mesh.start("authd", database: database, extra: AuthFixture.authdEnvironment)
            let secretFile = try await Mesh.clientSecret("svc-reentryd", database: database)
            environment.merge([
                "GRIDMESH_PATROLD_URL": patrold.baseURL, "GRIDMESH_AUTHD_URL": authd.baseURL, "GRIDMESH_CLIENT_SECRET_FILE": secretFile,
                "GRIDMESH_VISIT_REQUEST_MS": "100",
            ]) { _, new in new }
            self.patrold = patrold
            self.authd = authd
        } else {
            patrold = nil
            authd = nil
        }
        reentryd = try await Mesh.start("reentryd", database: database, extra: environment)
        supervisor = try await TestKeys.token("supervisor-sun", .caseworker, "street:shuiguohu")
        liu = try await TestKeys.token("caseworker-liu", .caseworker, "community:dongting")
        zhao = try await TestKeys.token("officer-zhao", .caseworker, "community:dongting")
        ma = try await TestKeys.token("caseworker-ma", .caseworker, "community:dongting")
        gao = try await TestKeys.token("caseworker-gao", .caseworker, "community:shuiguohu")
        inspector = try await TestKeys.token("inspector-qian", .disciplineInspector, "district")
        command = try await TestKeys.token("command", .commandCentre, "district")
        lihua = try await TestKeys.token("lihua", .gridWorker, "grid:dongting-05")
        vetting = try await TestKeys.token("svc-vettingd", .service, "district")
    }

    var url: String { reentryd.baseURL }

    /// 王强's identity as the scenario gives it; the ID number is a valid one made up for the test.
    static let wangQiang = (name: "王强", id: "420106198001011237", address: "东亭路 18 号 3 单元 502", phone: "13800138000")

    static func caseBody(
        id: UUID = UUID(), name: String = wangQiang.name, nationalID: String = wangQiang.id, kind: String = "post_release", level: String = "strict",
        startsOn: CalendarDate = today.adding(days: -29), endsOn: CalendarDate? = nil, grid: String = "dongting-05",
        pair: (String, String) = ("caseworker-liu", "officer-zhao")
    ) -> String {
        """
        {"id":"\(id.uuidString)","kind":"\(kind)","level":"\(level)","starts_on":"\(startsOn)","ends_on":"\(endsOn ?? startsOn.adding(months: 36))",
         "residence_grid":"\(grid)","community_worker":"\(pair.0)","police_officer":"\(pair.1)",
         "person":{"name":"\(name)","national_id":"\(nationalID)","gender":"男","address":"\(wangQiang.address)","phone":"\(wangQiang.phone)"},
         "support_plan":[{"area":"employment","details":"联系社区就业站推荐岗位"},{"area":"housing","details":"核实租住情况"}]}
        """
    }

    /// Opens a case as the supervisor; returns its id and case ref.
    func openCase(_ body: String = caseBody()) async throws -> (id: String, ref: String) {
        let response = try await Mesh.request("POST", "\(url)/v1/cases", token: supervisor, json: body)
        guard response.status == 201 else { throw Failure("opening a case: \(response.status) \(response.text)") }
        let json = try Mesh.json(response)
        guard let id = json["id"] as? String, let ref = json["case_ref"] as? String else { throw Failure("a case without id or ref: \(json)") }
        return (id.lowercased(), ref)
    }

    func get(_ path: String, _ token: String) async throws -> HTTPResponse { try await Mesh.request("GET", "\(url)\(path)", token: token) }

    func array(_ response: HTTPResponse) throws -> [[String: Any]] { try Mesh.jsonArray(response) }

    /// The lookup hash vettingd would send for an ID number.
    static func lookupHex(_ id: String) -> String { NationalID.hex(NationalID(id)!.lookupHash(using: TestKeys.personalData)) }
}

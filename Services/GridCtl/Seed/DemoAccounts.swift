import GridCore

/// The people and services of the demo: the cast of the Shuiguohu week, plus one service account per daemon.
public struct DemoAccount: Sendable {
    public let subject: String
    public let displayName: String
    public let role: Role
    public let scope: Scope
    public let agency: String?
}

public enum DemoAccounts {
    static func account(_ subject: String, _ name: String, _ role: Role, _ scope: String, agency: AgencyKind? = nil) -> DemoAccount {
        let parsed = Scope(scope)!
        return DemoAccount(
            subject: subject, displayName: name, role: role, scope: parsed,
            agency: agency.map { DemoSeed.agencyCode(street: parsed.level == .street ? parsed.code : "shuiguohu", $0) })
    }

    public static let all: [DemoAccount] = [
        account("zhangmin", "张敏", .gridWorker, "grid:dongting-03"),
        account("chenjie", "陈杰", .gridWorker, "grid:dongting-03"),
        account("lihua", "李华", .gridWorker, "grid:dongting-05"),
        account("sgh-officer", "水果湖街道干部", .streetOfficer, "street:shuiguohu"),
        account("dongting-staff", "东亭社区工作人员", .communityStaff, "community:dongting"),
        account("sgh-judicial", "水果湖司法所所长", .agencyHead, "street:shuiguohu", agency: .judicialOffice),
        account("sgh-police", "水果湖派出所所长", .agencyHead, "street:shuiguohu", agency: .policeStation),
        account("sgh-market", "水果湖工商所所长", .agencyHead, "street:shuiguohu", agency: .marketRegulation),
        account("sgh-food", "水果湖食药监所所长", .agencyHead, "street:shuiguohu", agency: .foodAndDrug),
        account("sgh-city", "水果湖城管中队队长", .agencyHead, "street:shuiguohu", agency: .cityManagement),
        account("caseworker-liu", "刘社工", .caseworker, "community:dongting"),
        account("officer-zhao", "赵警官", .caseworker, "community:dongting"),
        account("supervisor-sun", "孙主任", .caseworker, "street:shuiguohu"),
        account("caseworker-ma", "马社工", .caseworker, "community:dongting"),
        account("caseworker-gao", "高社工", .caseworker, "community:shuiguohu"),
        account("election-wu", "吴选举干部", .electionOfficer, "street:shuiguohu"),
        account("election-zheng", "郑选举干部", .electionOfficer, "street:shuiguohu"),
        account("command", "区指挥调度平台", .commandCentre, "district"),
        account("inspector-qian", "钱纪检员", .disciplineInspector, "district"),
        account("auditor", "审计员", .auditor, "district"),
        account("admin", "系统管理员", .admin, "district"),
        account("svc-patrold", "patrold service", .service, "district"),
        account("svc-meetingd", "meetingd service", .service, "district"),
        account("svc-reentryd", "reentryd service", .service, "district"),
        account("svc-vettingd", "vettingd service", .service, "district"),
    ]

    public static func named(_ subject: String) -> DemoAccount? { all.first { $0.subject == subject } }
}

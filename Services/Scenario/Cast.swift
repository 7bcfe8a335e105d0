import Daemon
import Foundation
import GridCore

/// The people of the week, each with a token as the district's identity provider would sign it.
/// Their accounts are the demo directory's (`gridctl seed demo`).
struct Cast {
    let zhangmin: String
    let chenjie: String
    let lihua: String
    let officer: String
    let cityHead: String
    let policeHead: String
    let marketHead: String
    let command: String
    let auditor: String
    let supervisor: String
    let liu: String
    let zhao: String
    let wu: String
    let zheng: String
    let admin: String

    init(signingKey: String, issuer: String) async throws {
        let signer = try await TokenIssuer(privateJWK: signingKey, issuer: issuer)
        func token(_ subject: String, _ role: Role, _ scope: String, agency: String? = nil) async throws -> String {
            try await signer.issue(
                TokenClaims(subject: subject, role: role, scope: Scope(scope)!, agency: agency, issuer: issuer, lifetime: .seconds(4 * 3600)))
        }
        zhangmin = try await token("zhangmin", .gridWorker, "grid:dongting-03")
        chenjie = try await token("chenjie", .gridWorker, "grid:dongting-03")
        lihua = try await token("lihua", .gridWorker, "grid:dongting-05")
        officer = try await token("sgh-officer", .streetOfficer, "street:shuiguohu")
        cityHead = try await token("sgh-city", .agencyHead, "street:shuiguohu", agency: "shuiguohu/city_management")
        policeHead = try await token("sgh-police", .agencyHead, "street:shuiguohu", agency: "shuiguohu/police_station")
        marketHead = try await token("sgh-market", .agencyHead, "street:shuiguohu", agency: "shuiguohu/market_regulation")
        command = try await token("command", .commandCentre, "district")
        auditor = try await token("inspector-qian", .disciplineInspector, "district")
        supervisor = try await token("supervisor-sun", .caseworker, "street:shuiguohu")
        liu = try await token("caseworker-liu", .caseworker, "community:dongting")
        zhao = try await token("officer-zhao", .caseworker, "community:dongting")
        wu = try await token("election-wu", .electionOfficer, "street:shuiguohu")
        zheng = try await token("election-zheng", .electionOfficer, "street:shuiguohu")
        admin = try await token("admin", .admin, "district")
    }
}

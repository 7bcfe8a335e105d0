import Daemon
import Foundation
import Hummingbird
import Postgres

/// `/v1/categories`: the service catalogue, labelled in zh-CN or, on `Accept-Language: en`, English.
enum CatalogueRoutes {
    struct Entry: Encodable {
        let code: String
        let kind: String
        let name: String
        let description: String
        let priority: String
        let agencyKind: String?
        let deadlineWorkingDays: Int?
        let attributes: [Category.Attribute]
    }

    static func register(on routes: APIRoutes, pool: PostgresPool) {
        routes.add(
            APIOperation(
                .get, "/v1/categories", id: "listCategories", summary: "The service catalogue", tag: "catalogue",
                access: .person,
                parameters: [.header("Accept-Language", Schema.string(), "en for English labels; zh-CN by default")],
                replies: [.init(200, "Categories", Schema.array(["type": "object"]))])
        ) { request, context in
            _ = try context.authenticated()
            let english = Language.prefersEnglish(request)
            let entries = try await pool.withConnection { try Catalogue.all(on: $0) }.map { category in
                Entry(
                    code: category.code, kind: category.kind.rawValue, name: english ? category.nameEn : category.nameZh,
                    description: english ? category.descriptionEn : category.descriptionZh, priority: category.priority,
                    agencyKind: category.agencyKind?.rawValue, deadlineWorkingDays: category.deadlineWorkingDays, attributes: category.attributes)
            }
            return try APICoding.response(.ok, entries)
        }
    }
}

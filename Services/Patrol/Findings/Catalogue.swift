import Foundation
import GridCore
import Postgres

/// One service of the catalogue: a category of finding or of clue, with its handling rules.
public struct Category: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case finding, clue }

    public let code: String
    public let kind: Kind
    public let nameZh: String
    public let nameEn: String
    public let descriptionZh: String
    public let descriptionEn: String
    public let priority: String
    public let agencyKind: AgencyKind?
    public let deadlineWorkingDays: Int?
    /// Open311-style attribute definitions, as stored.
    public let attributes: [Attribute]

    public struct Attribute: Sendable, Codable, Equatable {
        public let code: String
        public let datatype: String
        public let required: Bool
        public let description: String
        public let values: [Value]?

        public struct Value: Sendable, Codable, Equatable {
            public let key: String
            public let name: String
        }
    }

    static let columns = "code, kind, name_zh, name_en, description_zh, description_en, priority, agency_kind, deadline_working_days, attributes"

    init(row: PostgresRow) throws {
        code = try row.decode(at: 0)
        kind = Kind(rawValue: try row.decode(at: 1)) ?? .finding
        nameZh = try row.decode(at: 2)
        nameEn = try row.decode(at: 3)
        descriptionZh = try row.decode(at: 4)
        descriptionEn = try row.decode(at: 5)
        priority = try row.decode(at: 6)
        agencyKind = try row.decode(String?.self, at: 7).flatMap(AgencyKind.init(rawValue:))
        deadlineWorkingDays = try row.decode(Int?.self, at: 8)
        attributes = try row.decode(JSONB.self, at: 9).decode(as: [Attribute].self)
    }

    /// Checks submitted attribute values against the definitions; returns field errors.
    func check(_ values: [String: String]) -> [(field: String, message: String)] {
        var errors: [(String, String)] = []
        for attribute in attributes {
            guard let value = values[attribute.code] else {
                if attribute.required { errors.append(("attributes.\(attribute.code)", "is required")) }
                continue
            }
            if let allowed = attribute.values, !allowed.contains(where: { $0.key == value }) {
                errors.append(("attributes.\(attribute.code)", "must be one of \(allowed.map(\.key).joined(separator: ", "))"))
            }
        }
        for code in values.keys where !attributes.contains(where: { $0.code == code }) {
            errors.append(("attributes.\(code)", "is not an attribute of \(self.code)"))
        }
        return errors
    }
}

/// The service catalogue.
public enum Catalogue {
    public static func all(on connection: PostgresConnection) throws -> [Category] {
        try connection.query("SELECT \(Category.columns) FROM patrol.categories WHERE active ORDER BY kind, code").map(Category.init(row:))
    }

    public static func category(_ code: String, on connection: PostgresConnection) throws -> Category? {
        try connection.query("SELECT \(Category.columns) FROM patrol.categories WHERE code = $1 AND active", [code]).first.map(Category.init(row:))
    }
}

/// The five agencies whose heads meet in every street ("五长").
public enum AgencyKind: String, Sendable, Codable, CaseIterable {
    case judicialOffice = "judicial_office"
    case policeStation = "police_station"
    case marketRegulation = "market_regulation"
    case foodAndDrug = "food_and_drug"
    case cityManagement = "city_management"

    public var nameZh: String {
        switch self {
        case .judicialOffice: "司法所"
        case .policeStation: "派出所"
        case .marketRegulation: "工商所"
        case .foodAndDrug: "食药监所"
        case .cityManagement: "城管中队"
        }
    }

    public var nameEn: String {
        switch self {
        case .judicialOffice: "Judicial office"
        case .policeStation: "Police station"
        case .marketRegulation: "Market regulation office"
        case .foodAndDrug: "Food and drug office"
        case .cityManagement: "City management squad"
        }
    }
}

/// The service catalogue's categories of finding (a first set; codes are stable identifiers).
public enum FindingCategory: String, Sendable, Codable, CaseIterable {
    case environmentalSanitation = "environmental_sanitation"
    case illegalConstruction = "illegal_construction"
    case streetVending = "street_vending"
    case roadDamage = "road_damage"
    case fireHazard = "fire_hazard"
    case foodSafety = "food_safety"
    case neighbourDispute = "neighbour_dispute"
    case other

    public var nameZh: String {
        switch self {
        case .environmentalSanitation: "环境卫生"
        case .illegalConstruction: "违章搭建"
        case .streetVending: "占道经营"
        case .roadDamage: "道路破损"
        case .fireHazard: "消防隐患"
        case .foodSafety: "食品安全"
        case .neighbourDispute: "邻里纠纷"
        case .other: "其他"
        }
    }
}

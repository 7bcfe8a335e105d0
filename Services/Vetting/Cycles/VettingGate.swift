/// The four gates before an election (四先四后): inspection, audit, rectification, assessment.
public enum VettingGate: String, Sendable, Codable, CaseIterable {
    case inspection, audit, rectification, assessment

    /// The campaigns whose checklists must be complete before the gate can pass.
    public var campaigns: [Campaign] {
        switch self {
        case .inspection: [.survey, .evaluation]
        case .audit: [.audit]
        case .rectification: [.rectification]
        case .assessment: [.assessment, .reserve]
        }
    }

    public var nameZh: String {
        switch self {
        case .inspection: "考察"
        case .audit: "审计"
        case .rectification: "整顿"
        case .assessment: "研判"
        }
    }
}

public enum GateState: String, Sendable, Codable {
    case pending
    case inProgress = "in_progress"
    case passed, failed
}

/// The six campaigns (六大行动), each a checklist per cycle.
public enum Campaign: String, Sendable, Codable, CaseIterable {
    /// 大摸排
    case survey
    /// 大考核
    case evaluation
    /// 大审计
    case audit
    /// 大整顿
    case rectification
    /// 大储备
    case reserve
    /// 大研判
    case assessment

    public var nameZh: String {
        switch self {
        case .survey: "大摸排"
        case .evaluation: "大考核"
        case .audit: "大审计"
        case .rectification: "大整顿"
        case .reserve: "大储备"
        case .assessment: "大研判"
        }
    }

    /// The checklist every cycle starts with: item code and title.
    public var checklist: [(item: String, title: String)] {
        switch self {
        case .survey: [("candidate_pool", "摸清人选底数"), ("household_visits", "走访党员群众"), ("clan_and_gang_risks", "摸排宗族、黑恶势力干扰线索")]
        case .evaluation: [("term_report", "现任班子任期述职评议"), ("evaluation_published", "考核结果公示")]
        case .audit: [("collective_assets", "集体资产、资金、资源审计"), ("outgoing_accountability", "离任经济责任审计")]
        case .rectification: [("weak_organisation", "软弱涣散组织整顿"), ("issues_closed", "审计和巡查问题整改销号")]
        case .reserve: [("reserve_list", "后备人选储备名单"), ("training_plan", "储备人选培养计划")]
        case .assessment: [("risk_assessment", "换届风险研判"), ("joint_review", "联审结果研判")]
        }
    }
}

/// Where a cycle stands, derived from its gates and contingency plan: what the readiness board
/// shows and what the cycle's state follows.
public struct Readiness: Sendable, Equatable {
    /// Every gate passed and a contingency plan recorded.
    public let ready: Bool
    /// A gate has failed: the cycle goes back through rectification.
    public let blocked: Bool
    /// Why it is not ready: `gate_failed:audit`, `gate_pending:assessment`, `no_contingency_plan`, …
    public let reasons: [String]

    public init(gates: [VettingGate: GateState], hasContingencyPlan: Bool) {
        var reasons: [String] = []
        for gate in VettingGate.allCases {
            switch gates[gate] ?? .pending {
            case .passed: continue
            case .failed: reasons.append("gate_failed:\(gate.rawValue)")
            case .inProgress: reasons.append("gate_in_progress:\(gate.rawValue)")
            case .pending: reasons.append("gate_pending:\(gate.rawValue)")
            }
        }
        if !hasContingencyPlan { reasons.append("no_contingency_plan") }
        self.reasons = reasons
        self.blocked = reasons.contains { $0.hasPrefix("gate_failed:") }
        self.ready = reasons.isEmpty
    }

    /// The cycle state this readiness means for a cycle now in `state` (confirmed and election stay).
    public func state(from state: String) -> String {
        if ["confirmed", "election"].contains(state) && ready { return state }
        return blocked ? "blocked" : ready ? "ready" : "preparing"
    }
}

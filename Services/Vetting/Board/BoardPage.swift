import Daemon
import Foundation
import GridCore

/// The readiness board as a printable page.
enum BoardPage {
    static func html(_ board: ReadinessBoard) -> String {
        let escape = HTMLPage.escape
        let gates = VettingGate.allCases
        let headers = ["街道", "社区数", "已启动", "未启动"] + gates.map { "\($0.nameZh)通过" } + ["预案", "就绪", "受阻"]
        func cells(_ name: String, _ counts: ReadinessBoard.Counts) -> [String] {
            [name, "\(counts.communities)", "\(counts.withCycle)", "\(counts.notStarted)"] + gates.map { "\(counts.passed[$0.rawValue] ?? 0)" }
                + ["\(counts.contingencyPlans)", "\(counts.ready)", "\(counts.blocked)"]
        }
        let reasons = board.totals.blockedBy.sorted { $0.value > $1.value }.map { [reasonName($0.key), "\($0.value)"] }
        var body = """
            <h1>村（社区）“两委”换届 准备情况</h1>
            <p>范围：\(escape(board.scope == "district" ? "全区" : board.scope))　届次：\(escape(board.term))　\
            就绪 \(board.totals.ready) / \(board.totals.communities)，受阻 \(board.totals.blocked)</p>
            <h2>一、四先四后进度</h2>
            \(HTMLPage.table(headers, board.streets.map { cells($0.streetName, $0.counts) } + [cells("合计", board.totals)]))
            <h2>二、未就绪原因</h2>
            \(HTMLPage.table(["原因", "社区数"], reasons))
            """
        // the district's page stays a summary: its 141 communities are on the console's map
        if board.scope != "district" {
            body += """

                <h2>三、各社区</h2>
                \(HTMLPage.table(["社区", "状态", "待办"], board.communities.map { [$0.name, $0.ready ? "就绪" : $0.state, $0.reasons.map(reasonName).joined(separator: "；")] }))
                """
        }
        body += "\n<p class=\"none\">生成时间：\(escape(RFC3339.format(board.generatedAt)))</p>"
        return HTMLPage.document(title: "换届准备情况 \(board.term)", body: body)
    }

    static func reasonName(_ code: String) -> String {
        let parts = code.split(separator: ":").map(String.init)
        let gate = parts.count == 2 ? VettingGate(rawValue: parts[1])?.nameZh ?? parts[1] : ""
        switch parts[0] {
        case "gate_failed": return "\(gate)未通过"
        case "gate_in_progress": return "\(gate)进行中"
        case "gate_pending": return "\(gate)未开始"
        case "no_contingency_plan": return "无换届工作预案"
        case "no_cycle": return "未启动换届"
        default: return code
        }
    }
}

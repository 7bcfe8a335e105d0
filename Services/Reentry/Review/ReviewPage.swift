import Daemon
import Foundation
import GridCore

/// The responsibility review as a printable page.
enum ReviewPage {
    static let stateNames: [Obligation.State: String] = [.met: "按期完成", .late: "逾期后补做", .overdue: "逾期未做", .open: "未到期", .superseded: "因标准变更终止"]
    static let typeNames: [String: String] = ["face_to_face": "面对面谈话", "home_visit": "走访", "phone": "电话联系"]

    static func html(_ review: ResponsibilityReview, timeZone: TimeZone) -> String {
        let escape = HTMLPage.escape
        func time(_ date: Date) -> String { ChineseTime.dateTime(date, in: timeZone) }
        func duty(_ duty: ResponsibilityReview.Duty) -> [String] {
            let o = duty.obligation
            return [
                typeNames[o.contactType.rawValue] ?? o.contactType.rawValue, o.rule == .first ? "首次" : "\(o.windowStart)–\(o.windowEnd)", o.dueOn.description,
                "\(o.contacts.count)/\(o.required)", stateNames[o.state] ?? o.state.rawValue,
                [duty.assignedCommunityWorker, duty.assignedPoliceOfficer].compactMap { $0 }.joined(separator: "、"), duty.assignedSupervisor ?? "",
            ]
        }
        return HTMLPage.document(
            title: "倒查 \(review.caseRef)",
            body: """
                <h1>帮教责任倒查</h1>
                <p>案件：\(escape(review.caseRef))　类别：\(review.kind == .postRelease ? "刑满释放人员" : "社区矫正对象")　\
                期间：\(escape(review.from.description)) 至 \(escape(review.to.description))　案件期限：\(escape(review.startsOn.description)) 至 \(escape(review.endsOn.description))</p>
                <h2>一、未履行或逾期履行（\(review.misses.count)）</h2>
                \(HTMLPage.table(["要求", "周期", "应完成日", "完成", "状态", "责任人", "督导"], review.misses.map(duty)))
                \(review.excusedMisses.isEmpty ? "" : "<h2>补充：经事后延期免除的逾期（\(review.excusedMisses.count)）</h2>\n" + HTMLPage.table(["要求", "周期", "应完成日", "完成", "状态", "责任人", "督导"], review.excusedMisses.map(duty)))
                <h2>二、全部职责</h2>
                \(HTMLPage.table(["要求", "周期", "应完成日", "完成", "状态", "责任人", "督导"], review.duties.map(duty)))
                <h2>三、联系记录</h2>
                \(HTMLPage.table(["时间", "方式", "地点", "结果", "计为", "记录人"], review.contacts.map {
                    [time($0.occurredAt), $0.method, $0.location, $0.outcome, $0.countsAs.map { typeNames[$0] ?? $0 }.joined(separator: "、"), $0.recordedBy]
                }))
                <h2>四、责任人变更</h2>
                \(HTMLPage.table(["自", "至", "社区工作者", "民警", "督导", "原因", "决定人"], review.assignments.map {
                    [time($0.fromAt), $0.toAt.map(time) ?? "至今", $0.communityWorker, $0.policeOfficer, $0.supervisor, $0.reason, $0.assignedBy]
                }))
                <h2>五、提醒与督办</h2>
                \(HTMLPage.table(["时间", "类别", "接收人", "确认"], review.alerts.map {
                    [time($0.createdAt), $0.kind, $0.recipient, $0.acknowledgedAt.map(time) ?? "未确认"]
                }))
                <h2>六、延期</h2>
                \(HTMLPage.table(["自", "至", "原因", "决定人", "事后补批"], review.deferrals.map {
                    [$0.fromOn.description, $0.untilOn.description, $0.reason, $0.decidedBy, $0.backdated ? "是（起始日早于决定日）" : "否"]
                }))
                <p class="none">生成时间：\(escape(time(review.generatedAt)))</p>
                """)
    }
}

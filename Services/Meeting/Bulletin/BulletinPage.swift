import Daemon
import Foundation
import GridCore

/// The bulletin as a printable HTML page, in the words and the time of the staff who read it:
/// streets by name, days as 2026年11月16日, the time it was made in the mesh's zone.
enum BulletinPage {
    static func html(_ bulletin: Bulletin, streets: [String: String], timeZone: TimeZone) -> String {
        let escape = HTMLPage.escape
        let code = bulletin.scope.replacingOccurrences(of: "street:", with: "")
        let scope = bulletin.scope == "district" ? "全区" : streets[code] ?? code
        let rates = bulletin.onTime.map { rate in
            [rate.agencyName, String(rate.due), String(rate.onTime), rate.onTimeRate.map { String(format: "%.0f%%", $0 * 100) } ?? "—"]
        }
        return HTMLPage.document(
            title: "一周一通报 \(bulletin.weekStart)",
            body: """
                <h1>五长碰头会 一周一通报</h1>
                <p>范围：\(escape(scope))　周期：\(escape(ChineseTime.date(bulletin.weekStart))) 至 \(escape(ChineseTime.date(bulletin.weekEnd)))　本周召开碰头会：\(bulletin.meetingsHeld) 次</p>
                <h2>一、逾期未完成事项（\(bulletin.overdueActionItems.count)）</h2>
                \(HTMLPage.table(["责任单位", "事项", "期限"], bulletin.overdueActionItems.map { [$0.ownerAgencyName, $0.title, ChineseTime.date($0.deadline)] }))
                <h2>二、逾期未整改（\(bulletin.overdueRectifications.count)）</h2>
                \(HTMLPage.table(["整改对象", "通知", "期限"], bulletin.overdueRectifications.map { [$0.targetName, $0.notice, ChineseTime.date($0.deadline)] }))
                <h2>三、按期完成率</h2>
                \(HTMLPage.table(["单位", "到期", "按期完成", "按期率"], rates, none: "本周无到期事项"))
                <h2>四、新发现热点（\(bulletin.newHotspots.count)）</h2>
                \(HTMLPage.table(["街道", "热点"], bulletin.newHotspots.map { [streets[$0.streetCode] ?? $0.streetCode, $0.title] }))
                <p class="none">生成时间：\(escape(ChineseTime.dateTime(bulletin.generatedAt, in: timeZone)))</p>
                """)
    }
}

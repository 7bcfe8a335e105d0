import Foundation
import GridCore

/// The bulletin as a printable HTML page (A4, no scripts, every value escaped).
enum BulletinPage {
    static func html(_ bulletin: Bulletin) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        func rows(_ cells: [[String]]) -> String {
            cells.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        }
        let scope = bulletin.scope == "district" ? "全区" : bulletin.scope.replacingOccurrences(of: "street:", with: "") + " 街道"
        let rates = bulletin.onTime.map { rate in
            [rate.agencyName, String(rate.due), String(rate.onTime), rate.onTimeRate.map { String(format: "%.0f%%", $0 * 100) } ?? "—"]
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>一周一通报 \(escape(bulletin.weekStart))</title>
            <style>
            @page { size: A4; margin: 18mm } body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 11pt; color: #111 }
            h1 { font-size: 18pt; text-align: center } h2 { font-size: 13pt; border-bottom: 1px solid #333; margin-top: 18pt }
            table { width: 100%; border-collapse: collapse } td, th { border: 1px solid #999; padding: 3pt 5pt; text-align: left } .none { color: #555 }
            </style></head><body>
            <h1>五长碰头会 一周一通报</h1>
            <p>范围：\(escape(scope))　周期：\(escape(bulletin.weekStart)) 至 \(escape(bulletin.weekEnd))　本周召开碰头会：\(bulletin.meetingsHeld) 次</p>
            <h2>一、逾期未完成事项（\(bulletin.overdueActionItems.count)）</h2>
            \(bulletin.overdueActionItems.isEmpty ? "<p class=\"none\">无</p>" : "<table><tr><th>责任单位</th><th>事项</th><th>期限</th></tr>\n" + rows(bulletin.overdueActionItems.map { [$0.ownerAgencyName, $0.title, $0.deadline] }) + "</table>")
            <h2>二、逾期未整改（\(bulletin.overdueRectifications.count)）</h2>
            \(bulletin.overdueRectifications.isEmpty ? "<p class=\"none\">无</p>" : "<table><tr><th>整改对象</th><th>通知</th><th>期限</th></tr>\n" + rows(bulletin.overdueRectifications.map { [$0.targetName, $0.notice, $0.deadline] }) + "</table>")
            <h2>三、按期完成率</h2>
            \(rates.isEmpty ? "<p class=\"none\">本周无到期事项</p>" : "<table><tr><th>单位</th><th>到期</th><th>按期完成</th><th>按期率</th></tr>\n" + rows(rates) + "</table>")
            <h2>四、新发现热点（\(bulletin.newHotspots.count)）</h2>
            \(bulletin.newHotspots.isEmpty ? "<p class=\"none\">无</p>" : "<table><tr><th>街道</th><th>热点</th></tr>\n" + rows(bulletin.newHotspots.map { [$0.streetCode, $0.title] }) + "</table>")
            <p class="none">生成时间：\(escape(RFC3339.format(bulletin.generatedAt)))</p>
            </body></html>
            """
    }
}

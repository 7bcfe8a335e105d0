import Crypto
import Foundation
import GridCore

/// The public holidays of 2026 and their make-up working days, as the State Council's notice sets
/// them, in the form `gridctl calendar import` reads; the demo seed imports it. A district imports
/// each coming year's notice itself.
enum DemoCalendar {
    static let text = """
        # 国务院办公厅关于2026年部分节假日安排的通知
        year 2026
        holiday 2026-01-01 2026-01-03 元旦
        workday 2026-01-04 元旦调休
        workday 2026-02-14 春节调休
        holiday 2026-02-15 2026-02-23 春节
        workday 2026-02-28 春节调休
        holiday 2026-04-04 2026-04-06 清明节
        holiday 2026-05-01 2026-05-05 劳动节
        workday 2026-05-09 劳动节调休
        holiday 2026-06-19 2026-06-21 端午节
        workday 2026-09-20 国庆节调休
        holiday 2026-09-25 2026-09-27 中秋节
        holiday 2026-10-01 2026-10-07 国庆节
        workday 2026-10-10 国庆节调休

        """

    static var arrangement: HolidayArrangement { try! HolidayArrangement(parsing: text) }
}

extension HolidayArrangement {
    /// The SHA-256 of an arrangement's source text, in hex: the same text imports once.
    static func sourceDigest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

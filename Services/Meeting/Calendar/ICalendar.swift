import Foundation

/// iCalendar (RFC 5545) feeds of meetings: CRLF lines folded at 75 octets, text escaped, times in
/// UTC, one VEVENT per meeting with a stable UID and a SEQUENCE that grows with every change.
enum ICalendar {
    static func feed(name: String, meetings: [Meeting], now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//GridMesh//meetingd//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape(name))", "X-WR-TIMEZONE:Asia/Shanghai",
        ]
        for meeting in meetings {
            lines += [
                "BEGIN:VEVENT", "UID:\(meeting.id.uuidString.lowercased())@gridmesh", "DTSTAMP:\(stamp(now))",
                "DTSTART:\(stamp(meeting.startsAt))", "DTEND:\(stamp(meeting.endsAt))", "SUMMARY:\(escape(meeting.title))",
                "SEQUENCE:\(meeting.sequence)", "LAST-MODIFIED:\(stamp(meeting.updatedAt))",
                "STATUS:\(meeting.state == "cancelled" ? "CANCELLED" : "CONFIRMED")",
            ]
            if let location = meeting.location { lines.append("LOCATION:\(escape(location))") }
            if let note = meeting.note { lines.append("DESCRIPTION:\(escape(note))") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func stamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: ",", with: "\\,")
            .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on lines starting with a space, never splitting a character.
    static func fold(_ line: String) -> String {
        var result = ""
        var width = 0
        for character in line {
            let size = String(character).utf8.count
            if width + size > 75 {
                result += "\r\n "
                width = 1
            }
            result.append(character)
            width += size
        }
        return result
    }
}

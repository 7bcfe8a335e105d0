import EventBus
import Foundation
import GridCore
import Logging
import Testing

@testable import Daemon

@Suite("Domain values")
struct ValueTests {
    @Test func scopesParseAndPrint() {
        #expect(Scope("district") == .district)
        #expect(Scope("street:shuiguohu")?.level == .street)
        #expect(Scope("grid:dongting-03")?.description == "grid:dongting-03")
        for bad in ["", "street:", "street", "planet:mars", "grid:东亭", "district:x", "grid:a;drop"] { #expect(Scope(bad) == nil, "\(bad)") }
    }

    @Test func calendarDatesCountDaysAndWeekdays() {
        let date = CalendarDate("2026-11-30")!
        #expect(date.weekday == 1)  // a Monday
        #expect(date.adding(days: 31).description == "2026-12-31")
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2026-1-01") == nil)
    }

    @Test func uuidV7IsTimeOrderedAndVersioned() {
        let early = UUID.v7(at: Date(timeIntervalSince1970: 1_000))
        let late = UUID.v7(at: Date(timeIntervalSince1970: 2_000))
        #expect(early.uuidString < late.uuidString)
        #expect(late.uuidString.dropFirst(14).first == "7")
        #expect(Set((0..<1000).map { _ in UUID.v7() }).count == 1000)
    }

    @Test func retryDelaysGrowWithJitterAndStayCapped() {
        let schedule = RetrySchedule(base: .seconds(1), cap: .seconds(60), maxAttempts: 10)
        for attempt in 1...12 {
            let delay = schedule.delayMilliseconds(afterAttempt: attempt)
            let step = min(60_000, 1000 * (1 << (attempt - 1)))
            #expect(delay >= Int64(step / 2) && delay <= Int64(step))
        }
    }

    @Test func journalLinesCarryPriorityAndQuotedMetadata() {
        #expect(JournalLogHandler.priority(.error) == 3)
        #expect(JournalLogHandler.priority(.info) == 6)
        #expect(JournalLogHandler.quote("plain") == "plain")
        #expect(JournalLogHandler.quote("two words") == "\"two words\"")
        #expect(JournalLogHandler.quote("line\nbreak") == "\"line\\nbreak\"")
    }

    @Test func wireJSONIsSnakeCaseWithRFC3339Times() throws {
        struct Sample: Codable, Equatable {
            let gridCode: String
            let observedAt: Date
        }
        let sample = Sample(gridCode: "dongting-03", observedAt: Date(timeIntervalSince1970: 1_796_000_000.25))
        let text = String(decoding: try WireJSON.encoder().encode(sample), as: UTF8.self)
        #expect(text == #"{"grid_code":"dongting-03","observed_at":"2026-11-30T00:53:20.250Z"}"#)
        #expect(try WireJSON.decoder().decode(Sample.self, from: Data(text.utf8)) == sample)
        let offset = #"{"grid_code":"x","observed_at":"2026-11-30T08:53:20.25+08:00"}"#
        #expect(try WireJSON.decoder().decode(Sample.self, from: Data(offset.utf8)).observedAt == sample.observedAt)
    }
}

@Suite("RFC 3339")
struct RFC3339Tests {
    @Test func formatsInUTCWithMillisecondsAndReadsEveryOffset() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_796_000_000.123_9)) == "2026-11-30T00:53:20.123Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(RFC3339.parse("2026-11-30T09:30:00+08:00") == Date(timeIntervalSince1970: 1_796_002_200))
        #expect(RFC3339.parse("2026-11-30T01:30:00Z") == RFC3339.parse("2026-11-30T09:30:00+08:00"))
        #expect(RFC3339.parse("2026-11-30t01:30:00.250z")?.timeIntervalSince1970 == RFC3339.parse("2026-11-30T01:30:00Z")!.timeIntervalSince1970 + 0.25)
        #expect(RFC3339.parse("2026-11-29T20:30:00-05:00") == RFC3339.parse("2026-11-30T01:30:00Z"))
        for bad in [
            "", "2026-11-30", "2026-11-30T01:30:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T01:30:00.Z",
            "2026-11-30T01:30:00+0800", "2026-11-30T01:30:00Z trailing", "yesterday",
        ] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
        for seconds in [0.0, 1.001, 1_796_000_000.999, 2_000_000_000.5] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(abs(RFC3339.parse(RFC3339.format(date))!.timeIntervalSince(date)) < 0.001)
        }
    }
}

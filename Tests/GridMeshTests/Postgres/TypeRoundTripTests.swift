import Foundation
import GridCore
import Postgres
import Testing

@Suite("PostgreSQL typed values")
final class TypeRoundTripTests {
    let database: TestDatabase
    let pool: PostgresPool

    init() async throws {
        database = try await TestDatabase.make()
        pool = database.pool()
    }

    /// Each test's pool and database go when it ends: the suite runs many tests at once.
    deinit {
        pool.close()
        database.drop()
    }

    @Test func everySupportedTypeRoundTrips() async throws {
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_796_000_000.123456)
        let bytes = Data([0, 1, 2, 0xFE, 0xFF])
        let row = try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT $1::text, $2::int8, $3::int4, $4::bool, $5::float8, $6::uuid, $7::timestamptz, $8::date,
                       $9::jsonb, $10::bytea, $11::text[], $12::int8[], $13::uuid[]
                """,
                [
                    "水果湖街道 东亭社区 ✓ \"quoted\" \\ back", Int.min, Int32.max, true, -1.5e-300, id, when, CalendarDate("2024-02-29")!,
                    JSONB(text: #"{"名":"张敏","n":[1,2]}"#), bytes, ["a", "b c", "引号\"", "back\\slash", "", "NULL"], IntArray([1, -2, 3]),
                    UUIDArray([id]),
                ]
            ).first!
        }
        #expect(try row.decode(String.self, at: 0) == "水果湖街道 东亭社区 ✓ \"quoted\" \\ back")
        #expect(try row.decode(Int.self, at: 1) == Int.min)
        #expect(try row.decode(Int32.self, at: 2) == Int32.max)
        #expect(try row.decode(Bool.self, at: 3) == true)
        #expect(try row.decode(Double.self, at: 4) == -1.5e-300)
        #expect(try row.decode(UUID.self, at: 5) == id)
        #expect(abs(try row.decode(Date.self, at: 6).timeIntervalSince(when)) < 0.000001)
        #expect(try row.decode(CalendarDate.self, at: 7) == CalendarDate("2024-02-29"))
        let json = try row.decode(JSONB.self, at: 8)
        struct Doc: Decodable, Equatable {
            let name: String
            let n: [Int]
            enum CodingKeys: String, CodingKey {
                case name = "名"
                case n
            }
        }
        #expect(try json.decode(as: Doc.self) == Doc(name: "张敏", n: [1, 2]))
        #expect(try row.decode(Data.self, at: 9) == bytes)
        #expect(try row.decode([String].self, at: 10) == ["a", "b c", "引号\"", "back\\slash", "", "NULL"])
        #expect(try row.decode([Int].self, at: 11) == [1, -2, 3])
        #expect(try row.decode([UUID].self, at: 12) == [id])
    }

    @Test func nullsDecodeAsNilAndRefuseNonOptionals() async throws {
        let row = try await pool.withConnection { connection in
            try connection.query(
                "SELECT $1::text, $2::int8, $3::bool, $4::float8, $5::uuid, $6::timestamptz, $7::date, $8::jsonb, $9::bytea, $10::text[]",
                [String?.none, Int?.none, Bool?.none, Double?.none, UUID?.none, Date?.none, CalendarDate?.none, JSONB?.none, Data?.none, [String]?.none]
            ).first!
        }
        #expect(try row.decode(String?.self, at: 0) == nil)
        #expect(try row.decode(Int?.self, at: 1) == nil)
        #expect(try row.decode(Bool?.self, at: 2) == nil)
        #expect(try row.decode(Double?.self, at: 3) == nil)
        #expect(try row.decode(UUID?.self, at: 4) == nil)
        #expect(try row.decode(Date?.self, at: 5) == nil)
        #expect(try row.decode(CalendarDate?.self, at: 6) == nil)
        #expect(try row.decode(JSONB?.self, at: 7) == nil)
        #expect(try row.decode(Data?.self, at: 8) == nil)
        #expect(try row.decode([String]?.self, at: 9) == nil)
        #expect(throws: PostgresError.self) { try row.decode(String.self, at: 0) }
    }

    @Test func columnsByNameAndSpecialValues() async throws {
        let row = try await pool.query(
            "SELECT 'NaN'::float8 AS not_a_number, 'Infinity'::float8 AS big, ''::bytea AS empty, '{}'::text[] AS none, ARRAY[NULL]::text[] AS holes"
        ).first!
        #expect(try row.decode(Double.self, "not_a_number").isNaN)
        #expect(try row.decode(Double.self, "big") == .infinity)
        #expect(try row.decode(Data.self, "empty") == Data())
        #expect(try row.decode([String].self, "none") == [])
        #expect(throws: PostgresError.self) { try row.decode([String].self, "holes") }
        #expect(throws: PostgresError.self) { try row.decode(Int.self, "missing") }
    }

    @Test func timestampsWithOtherOffsetsParse() async throws {
        let row = try await pool.query("SELECT '2026-11-30 16:11:30.5+08'::timestamptz, '1969-12-31 23:59:59+00'::timestamptz").first!
        #expect(try row.decode(Date.self, at: 0) == Date(timeIntervalSince1970: 1_796_026_290.5))
        #expect(try row.decode(Date.self, at: 1) == Date(timeIntervalSince1970: -1))
    }
}

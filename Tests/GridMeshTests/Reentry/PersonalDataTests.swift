import Foundation
import GridCore
import PersonalData
import Testing

@Suite("Personal data: sealing, ID numbers, lookup HMAC")
struct PersonalDataTests {
    static func keys() -> PersonalDataKeys {
        PersonalDataKeys(
            sealing: .init(data: Data(base64Encoded: PersonalDataKeys.generateKeyText())!),
            lookup: .init(data: Data(base64Encoded: PersonalDataKeys.generateKeyText())!))
    }

    /// The check character of 17 digits (ISO 7064 MOD 11-2), computed here independently.
    static func withCheck(_ digits: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits.map { Int(String($0))! }, weights).map(*).reduce(0, +)
        return digits + String(Array("10X98765432")[sum % 11])
    }

    @Test func residentIDNumbersAreCheckedAndNormalised() {
        #expect(NationalID("11010519491231002X")?.value == "11010519491231002X")
        #expect(NationalID("11010519491231002x")?.value == "11010519491231002X")
        #expect(NationalID(Self.withCheck("42010619900101123"))?.value == Self.withCheck("42010619900101123"))
        #expect(NationalID("110105194912310021") == nil, "wrong check character")
        #expect(NationalID(Self.withCheck("42010619901301123")) == nil, "month 13")
        #expect(NationalID("1101051949123100") == nil)
        #expect(NationalID("11010519491231002Y") == nil)
    }

    @Test func sealedRecordsOpenOnlyOnTheirOwnRowAndWithTheirOwnKey() throws {
        let keys = Self.keys()
        let row = UUID()
        let sealed = try Sealer(keys: keys).seal(["name": "王强"], boundTo: row)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("王强"))
        #expect(try Sealer(keys: keys).open([String: String].self, from: sealed, boundTo: row) == ["name": "王强"])
        #expect(throws: (any Error).self) { try Sealer(keys: keys).open([String: String].self, from: sealed, boundTo: UUID()) }
        #expect(throws: (any Error).self) { try Sealer(keys: Self.keys()).open([String: String].self, from: sealed, boundTo: row) }
    }

    @Test func theLookupHashIsStableUnderOneKeyAndDiffersUnderAnother() throws {
        let keys = Self.keys()
        let id = try #require(NationalID("11010519491231002X"))
        #expect(id.lookupHash(using: keys) == NationalID("11010519491231002x")!.lookupHash(using: keys))
        #expect(id.lookupHash(using: keys) != id.lookupHash(using: Self.keys()))
        let hex = NationalID.hex(id.lookupHash(using: keys))
        #expect(hex.count == 64 && NationalID.lookupHash(hex: hex) == id.lookupHash(using: keys))
        #expect(NationalID.lookupHash(hex: "zz") == nil)
    }

    @Test func keyFilesMustHoldThirtyTwoBytesAndTheTwoKeysMustDiffer() throws {
        let directory = TestScratch.path("pd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let good = PersonalDataKeys.generateKeyText()
        try good.write(toFile: "\(directory)/a", atomically: true, encoding: .utf8)
        try "c2hvcnQ=".write(toFile: "\(directory)/short", atomically: true, encoding: .utf8)
        #expect(throws: KeyError.self) {
            try PersonalDataKeys.load(environment: ["GRIDMESH_SEALING_KEY_FILE": "\(directory)/short", "GRIDMESH_LOOKUP_KEY_FILE": "\(directory)/a"])
        }
        #expect(throws: KeyError.self) {
            try PersonalDataKeys.load(environment: ["GRIDMESH_SEALING_KEY_FILE": "\(directory)/a", "GRIDMESH_LOOKUP_KEY_FILE": "\(directory)/a"])
        }
        #expect(throws: KeyError.self) { try PersonalDataKeys.load(environment: [:]) }
        try FileManager.default.createDirectory(atPath: "\(directory)/creds", withIntermediateDirectories: true)
        try good.write(toFile: "\(directory)/creds/sealing-key", atomically: true, encoding: .utf8)
        try PersonalDataKeys.generateKeyText().write(toFile: "\(directory)/creds/lookup-key", atomically: true, encoding: .utf8)
        _ = try PersonalDataKeys.load(environment: ["CREDENTIALS_DIRECTORY": "\(directory)/creds"])
    }
}

import Crypto
import Foundation
import GridCore
import Testing

@Suite("patrold: photos")
struct PhotoTests {
    @Test func photosAreCheckedStoredByContentAndServedOnlyInScope() async throws {
        let dataDir = TestScratch.path("photos-\(UUID().uuidString.prefix(8))")
        let f = try await PatrolFixture(extra: ["GRIDMESH_PHOTO_MAX_BYTES": "4096", "GRIDMESH_DATA_DIR": dataDir])
        let id = try await f.newFinding(f.zhangmin)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<1000).map { UInt8($0 % 251) }
        let url = "\(f.url)/v1/findings/\(id)/photos"
        func upload(_ bytes: [UInt8], type: String, token: String) async throws -> Int {
            try await Mesh.http.send(.init(method: "POST", url: url, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", type)], body: bytes))
                .status
        }
        #expect(try await upload(jpeg, type: "image/jpeg", token: f.zhangmin) == 201)
        #expect(try await upload(jpeg, type: "image/jpeg", token: f.zhangmin) == 200)
        #expect(try await upload(jpeg, type: "image/png", token: f.zhangmin) == 415, "the bytes must match the type")
        #expect(try await upload(Array("hello".utf8), type: "text/plain", token: f.zhangmin) == 415)
        #expect(try await upload(jpeg + [UInt8](repeating: 7, count: 4000), type: "image/jpeg", token: f.zhangmin) == 413)
        #expect(try await upload(jpeg, type: "image/jpeg", token: f.lihua) == 404, "another grid's worker")

        let sha = SHA256.hash(data: jpeg).map { String(format: "%02x", $0) }.joined()
        #expect(FileManager.default.contents(atPath: "\(dataDir)/photos/\(sha.prefix(2))/\(sha)") == Data(jpeg))
        let served = try await f.get(f.officer, "/v1/findings/\(id)/photos/\(sha)")
        #expect(served.status == 200)
        #expect(served.body == jpeg)
        #expect(served.header("Content-Type") == "image/jpeg")
        #expect(try await f.get(f.lihua, "/v1/findings/\(id)/photos/\(sha)").status == 404)
        #expect(try await f.get(f.policeHead, "/v1/findings/\(id)/photos").status == 404)
        let listed = try JSONSerialization.jsonObject(with: Data(try await f.get(f.zhangmin, "/v1/findings/\(id)/photos").body)) as? [[String: Any]]
        #expect(listed?.first?["sha256"] as? String == sha)
        #expect(try await f.get(f.officer, "/v1/findings/\(id)/photos/not-a-hash").status == 404)

        // nine a finding; the tenth is refused and never reaches the disk
        func files() -> Int { (FileManager.default.enumerator(atPath: "\(dataDir)/photos")?.allObjects as? [String] ?? []).filter { $0.count > 3 }.count }
        for n in 1..<9 {
            #expect(try await upload([0xFF, 0xD8, 0xFF, 0xE0, UInt8(n)] + jpeg, type: "image/jpeg", token: f.zhangmin) == 201)
        }
        #expect(files() == 9)
        #expect(try await upload([0xFF, 0xD8, 0xFF, 0xE0, 99] + jpeg, type: "image/jpeg", token: f.zhangmin) == 409)
        #expect(try await upload(jpeg, type: "image/jpeg", token: f.zhangmin) == 200, "one it has is still answered")
        #expect(files() == 9, "the refused photo left nothing behind")
    }
}

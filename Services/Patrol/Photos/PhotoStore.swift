import Crypto
import Daemon
import Foundation
import GridCore
import Postgres

/// A photo of a finding.
public struct Photo: Sendable, Codable, Equatable {
    public let sha256: String
    public let contentType: String
    public let byteSize: Int
    public let uploadedBy: String
    public let uploadedAt: Date
}

/// Photos: type- and size-checked, stored once per content under `DATA_DIR/photos/ab/abcdef…`,
/// served only to those who may see the finding. File I/O runs on the store's own thread.
public struct PhotoStore: Sendable {
    let pool: PostgresPool
    let clock: any WallClock
    let directory: String
    public let maxBytes: Int
    static let maxPerFinding = 9
    private let files: WorkerThreads<Void>

    public init(pool: PostgresPool, clock: any WallClock, directory: String, maxBytes: Int) {
        self.pool = pool
        self.clock = clock
        self.directory = directory
        self.maxBytes = maxBytes
        files = WorkerThreads(count: 1, name: "photo-files") { () }
    }

    public static let types = ["image/jpeg", "image/png", "image/webp"]

    /// Whether the bytes really are what the Content-Type says.
    static func matches(_ bytes: [UInt8], type: String) -> Bool {
        switch type {
        case "image/jpeg": bytes.starts(with: [0xFF, 0xD8, 0xFF])
        case "image/png": bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case "image/webp": bytes.count > 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8)
        default: false
        }
    }

    func path(of sha256: String) -> String { "\(directory)/photos/\(sha256.prefix(2))/\(sha256)" }

    /// Stores a photo of a finding the uploader may see and act on.
    public func add(_ bytes: [UInt8], type: String, to finding: UUID, by principal: Principal, findings: FindingStore) async throws -> (Photo, created: Bool) {
        guard Self.types.contains(type) else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Not a supported image type", detail: "send image/jpeg, image/png or image/webp")
        }
        guard Self.matches(bytes, type: type) else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "The bytes are not a \(type)",
                detail: "the content does not match its Content-Type")
        }
        guard let visible = try await findings.finding(id: finding, for: principal) else { throw Problem.notFound("no such finding in your scope") }
        guard principal.subject == visible.reporter || [.agencyHead, .streetOfficer, .communityStaff, .commandCentre, .gridWorker].contains(principal.role)
        else {
            throw Problem.forbidden("you cannot add photos to this finding")
        }
        let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let target = path(of: sha256)
        let now = clock.now()
        let maxPerFinding = Self.maxPerFinding
        // the row first, the file inside the same transaction once the row is in: a refused photo
        // (the tenth, say) never reaches the disk, and a failed write leaves no row
        return try await pool.transaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('patrol.photos:' || $1::text))", [finding])
            let existing = try Self.photos(of: finding, on: connection)
            if let photo = existing.first(where: { $0.sha256 == sha256 }) { return (photo, false) }
            guard existing.count < maxPerFinding else { throw Problem.conflict("too-many-photos", "a finding has at most \(maxPerFinding) photos") }
            try connection.execute(
                """
                INSERT INTO patrol.photos (finding_id, sha256, content_type, byte_size, uploaded_by, uploaded_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, [finding, sha256, type, bytes.count, principal.subject, now])
            try Self.write(bytes, to: target)
            let photo = try Self.photos(of: finding, on: connection).first { $0.sha256 == sha256 }!
            return (photo, true)
        }
    }

    /// Writes a photo's bytes where its hash says, atomically, unless they are there already
    /// (content-addressed: the same bytes from another finding share the file).
    static func write(_ bytes: [UInt8], to target: String) throws {
        if FileManager.default.fileExists(atPath: target) { return }
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = target + ".\(UUID().uuidString).part"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { throw PhotoError.cannotWrite }
        if rename(temporary, target) != 0 {
            unlink(temporary)
            throw PhotoError.cannotWrite
        }
    }

    static func photos(of finding: UUID, on connection: PostgresConnection) throws -> [Photo] {
        try connection.query(
            "SELECT sha256, content_type, byte_size, uploaded_by, uploaded_at FROM patrol.photos WHERE finding_id = $1 ORDER BY uploaded_at, sha256", [finding]
        ).map { row in
            Photo(
                sha256: try row.decode(at: 0), contentType: try row.decode(at: 1), byteSize: try row.decode(at: 2), uploadedBy: try row.decode(at: 3),
                uploadedAt: try row.decode(at: 4))
        }
    }

    public func list(_ finding: UUID, for principal: Principal, findings: FindingStore) async throws -> [Photo] {
        guard try await findings.finding(id: finding, for: principal) != nil else { throw Problem.notFound("no such finding in your scope") }
        return try await pool.withConnection { try Self.photos(of: finding, on: $0) }
    }

    /// The bytes of one photo of a visible finding.
    public func read(_ finding: UUID, sha256: String, for principal: Principal, findings: FindingStore) async throws -> (Photo, [UInt8]) {
        guard try await findings.finding(id: finding, for: principal) != nil,
            let photo = try await pool.withConnection({ try Self.photos(of: finding, on: $0) }).first(where: { $0.sha256 == sha256 })
        else { throw Problem.notFound("no such photo in your scope") }
        let source = path(of: photo.sha256)
        let bytes = try await files.run(
            { _ in
                guard let data = FileManager.default.contents(atPath: source) else { throw PhotoError.missing }
                return [UInt8](data)
            }, closedError: PhotoError.missing)
        return (photo, bytes)
    }

    enum PhotoError: Error { case cannotWrite, missing }
}

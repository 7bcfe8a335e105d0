import Daemon
import Foundation
import GridCore
import HTTPClient
import Testing

/// authd on a test database, signing with the test key (so its tokens and `TestKeys.token` verify
/// alike), and what a person does there: be invited, activate, sign in, refresh.
final class AuthFixture: @unchecked Sendable {
    let database: TestDatabase
    let authd: DaemonProcess
    /// The demo password every activation here sets (it passes the policy).
    static let password = "violet-kettle-harbour"

    init(extra: [String: String] = [:]) async throws {
        database = try await TestDatabase.make()
        authd = try await Mesh.start("authd", database: database, extra: Self.authdEnvironment.merging(extra) { _, new in new })
    }

    static let authdEnvironment = ["GRIDMESH_TOKEN_SIGNING_KEY_FILE": TestKeys.signingKeyFile, "GRIDMESH_LOG_LEVEL": "debug"]

    deinit { database.drop() }

    var admin: String { get async throws { try await TestKeys.token("admin", .admin, "district") } }
    var inspector: String { get async throws { try await TestKeys.token("inspector-qian", .disciplineInspector, "district") } }

    /// `gridctl accounts invite`'s code for `subject`.
    func invite(_ subject: String) async throws -> String {
        let (status, output) = try await Mesh.gridctl(database, ["accounts", "invite", subject])
        guard status == 0, let range = output.range(of: #"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}"#, options: .regularExpression) else {
            throw Failure("gridctl accounts invite \(subject): \(status) \(output)")
        }
        return String(output[range])
    }

    /// Invites and activates `subject` with `password`; the authenticator secret when the role has one.
    @discardableResult
    func enrol(_ subject: String, password: String = AuthFixture.password) async throws -> [UInt8]? {
        let code = try await invite(subject)
        let activated = try await post("/v1/activations", json: #"{"username":"\#(subject)","code":"\#(code)","password":"\#(password)"}"#)
        guard activated.status == 200 else { throw Failure("activating \(subject): \(activated.status) \(activated.text)") }
        return (try Mesh.json(activated)["totp_secret"] as? String).flatMap(Base32Text.decode)
    }

    func post(_ path: String, json: String, token: String? = nil, headers: [(String, String)] = []) async throws -> HTTPResponse {
        try await Mesh.request("POST", authd.baseURL + path, token: token, json: json, headers: headers)
    }

    func form(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> HTTPResponse {
        try await Mesh.request(
            "POST", authd.baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, bodyText: body)
    }

    /// Signs in as a phone app would (the refresh token in the body).
    func signIn(_ subject: String, password: String = AuthFixture.password, code: String? = nil, client: String = "app") async throws -> HTTPResponse {
        let totp = code.map { #","totp_code":"\#($0)""# } ?? ""
        return try await post("/v1/sessions", json: #"{"username":"\#(subject)","password":"\#(password)","client":"\#(client)"\#(totp)}"#)
    }

    /// A signed-in session's tokens, or a failure saying why not.
    func session(_ subject: String, code: String? = nil) async throws -> Session {
        let response = try await signIn(subject, code: code)
        guard response.status == 201 else { throw Failure("signing in \(subject): \(response.status) \(response.text)") }
        return try Session(response)
    }

    /// The RFC 6749 `error` of a token endpoint's answer.
    static func oauthError(_ response: HTTPResponse) -> String? { (try? Mesh.json(response))?["error"] as? String }

    struct Session {
        let id: String
        let refreshToken: String?
        let tokens: [String: String]

        init(_ response: HTTPResponse) throws {
            let body = try Mesh.json(response)
            guard let id = body["session_id"] as? String, let tokens = body["access_tokens"] as? [String: String] else {
                throw Failure("no session in \(response.text)")
            }
            self.id = id
            self.tokens = tokens
            refreshToken = body["refresh_token"] as? String
        }
    }
}

/// A JWT's header (0) or claims (1) as JSON, read without verifying: the daemons verify, tests look.
enum JWTText {
    static func part(_ token: String, _ index: Int) -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return [:] }
        var text = String(parts[index]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
    }
}

/// Base32 for tests, independent of the code under test: RFC 4648 by its table.
enum Base32Text {
    static func decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = ""
        for character in text {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            let binary = String(value, radix: 2)
            bits += String(repeating: "0", count: 5 - binary.count) + binary
        }
        return stride(from: 0, to: bits.count - bits.count % 8, by: 8).map { start in
            let slice = bits.dropFirst(start).prefix(8)
            return UInt8(slice, radix: 2)!
        }
    }
}

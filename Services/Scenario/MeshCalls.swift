import Foundation
import HTTPClient

/// Where the mesh under the scenario listens.
public struct MeshAddresses: Sendable {
    /// Where the cast signs in.
    public var authd: String
    public var patrold: String
    public var meetingd: String
    public var reentryd: String
    public var vettingd: String
    /// The webhook receiver standing in for the squad's back office and the district platform.
    public var receiver: String

    public init(authd: String, patrold: String, meetingd: String, reentryd: String, vettingd: String, receiver: String) {
        self.authd = authd
        self.patrold = patrold
        self.meetingd = meetingd
        self.reentryd = reentryd
        self.vettingd = vettingd
        self.receiver = receiver
    }

    /// The daemons, by name, for the checks every one of them answers.
    public var daemons: [(name: String, url: String)] {
        [("patrold", patrold), ("meetingd", meetingd), ("reentryd", reentryd), ("vettingd", vettingd)]
    }

    /// The daemon a URL of the mesh is on: whose audience a token for it needs.
    func daemon(of url: String) -> String? {
        ([("authd", authd)] + daemons).first { url == $0.url || url.hasPrefix($0.url + "/") }?.name
    }
}

/// A check of the week that did not hold: the step and what was expected.
public struct ScenarioFailure: Error, CustomStringConvertible {
    public let step: String
    public let expectation: String
    public var description: String { "\(step): \(expectation)" }
}

/// One answer of the mesh.
public struct Reply {
    public let status: Int
    public let json: JSON
    public let text: String
    public let headers: [(name: String, value: String)]
}

/// Real HTTP to the daemons, as the phones, back offices and browsers of the week send it. A
/// refused connection (a daemon being restarted) is tried again, as an app would; anything the
/// daemon answered is returned as it is.
struct MeshClient: Sendable {
    let http = HTTPClient(threads: 2)
    /// How long a refused connection is retried.
    let patience: Duration

    func send(_ method: String, _ url: String, token: String?, body: String? = nil, contentType: String = "application/json", headers: [(String, String)] = [])
        async throws -> Reply
    {
        var all = headers.map { (name: $0.0, value: $0.1) }
        if let token { all.append((name: "Authorization", value: "Bearer \(token)")) }
        if body != nil { all.append((name: "Content-Type", value: contentType)) }
        let request = HTTPRequest(method: method, url: url, headers: all, body: body.map { Array($0.utf8) })
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                let response = try await http.send(request)
                return Reply(status: response.status, json: JSON(parsing: response.body), text: response.text, headers: response.headers)
            } catch let error as HTTPClientError where error.code == 7 && ContinuousClock.now < deadline {  // CURLE_COULDNT_CONNECT
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func sendBytes(_ url: String, token: String, bytes: [UInt8], contentType: String) async throws -> Reply {
        let request = HTTPRequest(
            method: "POST", url: url, headers: [(name: "Authorization", value: "Bearer \(token)"), (name: "Content-Type", value: contentType)], body: bytes)
        let response = try await http.send(request)
        return Reply(status: response.status, json: JSON(parsing: response.body), text: response.text, headers: response.headers)
    }
}

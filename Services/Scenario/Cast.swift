import Daemon
import Foundation
import GridCore

/// The people of the week, each signed in at authd as their phone or browser would be: the demo
/// password, and a code of their authenticator where the role needs a second factor. Their
/// accounts are the demo directory's (`gridctl seed demo`, `gridctl accounts demo`).
struct Cast {
    let zhangmin: Person
    let chenjie: Person
    let lihua: Person
    let officer: Person
    let cityHead: Person
    let policeHead: Person
    let marketHead: Person
    let command: Person
    let auditor: Person
    let supervisor: Person
    let liu: Person
    let zhao: Person
    let wu: Person
    let zheng: Person
    let admin: Person

    init(signIn: ShuiguohuWeek.SignIn, mesh: MeshAddresses, client: MeshClient) async throws {
        func person(_ subject: String) async throws -> Person {
            let person = Person(subject: subject, signIn: signIn, mesh: mesh, client: client)
            try await person.signIn()
            return person
        }
        zhangmin = try await person("zhangmin")
        chenjie = try await person("chenjie")
        lihua = try await person("lihua")
        officer = try await person("sgh-officer")
        cityHead = try await person("sgh-city")
        policeHead = try await person("sgh-police")
        marketHead = try await person("sgh-market")
        command = try await person("command")
        auditor = try await person("inspector-qian")
        supervisor = try await person("supervisor-sun")
        liu = try await person("caseworker-liu")
        zhao = try await person("officer-zhao")
        wu = try await person("election-wu")
        zheng = try await person("election-zheng")
        admin = try await person("admin")
    }
}

/// One person's session at authd, as an app keeps it: an access token per daemon (each for that
/// daemon alone), renewed with the rotating refresh token when four fifths of their life are gone —
/// the week at a human pace lasts longer than a token.
actor Person {
    let subject: String
    private let signIn: ShuiguohuWeek.SignIn
    private let mesh: MeshAddresses
    private let client: MeshClient
    private var tokens: [String: String] = [:]
    private var refreshToken = ""
    private var renewAt = ContinuousClock.now
    /// A renewal under way: a second caller waits for it instead of spending the refresh token twice
    /// (which authd takes for a stolen token, and ends the session).
    private var renewal: Task<Void, any Error>?

    init(subject: String, signIn: ShuiguohuWeek.SignIn, mesh: MeshAddresses, client: MeshClient) {
        self.subject = subject
        self.signIn = signIn
        self.mesh = mesh
        self.client = client
    }

    /// Signs in with the password and, where the role has one, the authenticator's current code.
    func signIn() async throws {
        var body: [String: String] = ["username": subject, "password": signIn.password, "client": "app"]
        if let secret = signIn.authenticators[subject] { body["totp_code"] = TOTP(secret: secret).code(counter: TOTP.counter(at: Date())) }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        try take(try await client.send("POST", "\(signIn.authd)/v1/sessions", token: nil, body: text), expecting: 201, doing: "signing in")
    }

    /// The access token for the daemon `url` belongs to.
    func token(for url: String) async throws -> String {
        if ContinuousClock.now >= renewAt {
            if renewal == nil { renewal = Task { try await renew() } }
            defer { renewal = nil }
            try await renewal?.value
        }
        guard let daemon = mesh.daemon(of: url), let token = tokens[daemon] else {
            throw ScenarioFailure(step: "signing in", expectation: "\(subject) has a token for \(url)")
        }
        return token
    }

    private func renew() async throws {
        let form = "grant_type=refresh_token&refresh_token=\(refreshToken)"
        let reply = try await client.send("POST", "\(signIn.authd)/v1/token", token: nil, body: form, contentType: "application/x-www-form-urlencoded")
        try take(reply, expecting: 200, doing: "renewing the session")
    }

    private func take(_ reply: Reply, expecting status: Int, doing what: String) throws {
        guard reply.status == status, let refresh = reply.json["refresh_token"].string, let lifetime = reply.json["expires_in"].int,
            let tokens = reply.json["access_tokens"].value as? [String: String], !tokens.isEmpty
        else {
            throw ScenarioFailure(step: what, expectation: "\(subject) gets a session from authd, got \(reply.status): \(reply.text.prefix(300))")
        }
        self.tokens = tokens
        refreshToken = refresh
        renewAt = .now + .seconds(lifetime * 4 / 5)
    }
}

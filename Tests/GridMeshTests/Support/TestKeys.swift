import Daemon
import Foundation
import GridCore
import PersonalData
import Webhooks

/// One token key pair per test process, written where daemons read it.
enum TestKeys {
    static let directory = TestScratch.directory

    static let generated = TokenKeys.generate()

    static let jwksFile: String = {
        let path = directory + "/token-keys.json"
        try? generated.publicJWKS.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// The private key authd signs with in tests (so its tokens and `token(_:_:_:)`'s verify alike).
    static let signingKeyFile: String = {
        let path = directory + "/token-signing.jwk"
        try? generated.privateJWK.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static func token(_ subject: String, _ role: Role, _ scope: String, agency: String? = nil, lifetime: Duration = .seconds(3600), issuedAt: Date = Date())
        async throws -> String
    {
        let issuer = try await TokenIssuer(privateJWK: generated.privateJWK)
        return try await issuer.issue(
            TokenClaims(subject: subject, role: role, scope: Scope(scope)!, agency: agency, issuer: "gridmesh", issuedAt: issuedAt, lifetime: lifetime))
    }

    /// The personal-data keys daemons read (`GRIDMESH_SEALING_KEY_FILE`, `GRIDMESH_LOOKUP_KEY_FILE`).
    static let personalDataFiles: (sealing: String, lookup: String) = {
        let sealing = directory + "/sealing.key"
        let lookup = directory + "/lookup.key"
        try? PersonalDataKeys.generateKeyText().write(toFile: sealing, atomically: true, encoding: .utf8)
        try? PersonalDataKeys.generateKeyText().write(toFile: lookup, atomically: true, encoding: .utf8)
        return (sealing, lookup)
    }()

    /// The key that seals webhook and callback secrets (`GRIDMESH_SECRETS_KEY_FILE`).
    static let secretsFile: String = {
        let path = directory + "/secrets.key"
        try? PersonalDataKeys.generateKeyText().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// The sealer daemons store webhook and callback secrets with.
    static var secrets: SecretSealer {
        get throws { try SecretSealer.load(environment: ["GRIDMESH_SECRETS_KEY_FILE": secretsFile]) }
    }

    static var personalData: PersonalDataKeys {
        try! PersonalDataKeys.load(
            environment: ["GRIDMESH_SEALING_KEY_FILE": personalDataFiles.sealing, "GRIDMESH_LOOKUP_KEY_FILE": personalDataFiles.lookup])
    }
}

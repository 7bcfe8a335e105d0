import Daemon
import Foundation
import GridCore
import Postgres

/// An account of the directory as authd sees it: who, and the credential it holds in `auth`.
struct Account: Sendable {
    let subject: String
    let displayName: String
    let role: Role
    let scope: Scope
    let agency: String?

    var principal: Principal { Principal(subject: subject, role: role, scope: scope, agency: agency) }

    static let columns = "a.subject, a.display_name, a.role, a.scope, a.agency_code"

    init(row: PostgresRow) throws {
        subject = try row.decode(at: 0)
        displayName = try row.decode(at: 1)
        guard let role = Role(rawValue: try row.decode(at: 2)), let scope = Scope(try row.decode(String.self, at: 3)) else {
            throw Problem.unavailable
        }
        self.role = role
        self.scope = scope
        agency = try row.decode(String?.self, at: 4)
    }

    static func find(_ subject: String, on connection: PostgresConnection) throws -> Account? {
        try connection.query("SELECT \(columns) FROM geo.accounts a WHERE a.subject = $1", [subject]).first.map(Account.init(row:))
    }

    /// The roles that reach personal data or the clue ledger sign in with a second factor.
    var needsSecondFactor: Bool { role.needsSecondFactor }
    /// How a session of this account was opened (RFC 8176 `amr`): a password, and a TOTP code where the role needs one.
    var signInMethods: [String] { needsSecondFactor ? ["pwd", "otp"] : ["pwd"] }
}

/// An account's row of `auth.credentials`, locked for the sign-in that reads it.
struct Credential: Sendable {
    let passwordHash: String?
    let totpSecret: String?
    let totpConfirmed: Bool
    let totpLastStep: Int64
    let failedAttempts: Int
    let lastFailedAt: Date?
    let lockedUntil: Date?

    static func locked(_ subject: String, on connection: PostgresConnection) throws -> Credential? {
        try connection.query(
            """
            SELECT password_hash, totp_secret, totp_confirmed_at IS NOT NULL, totp_last_step, failed_attempts, last_failed_at, locked_until
            FROM auth.credentials WHERE subject = $1 FOR UPDATE
            """, [subject]
        ).first.map { row in
            Credential(
                passwordHash: try row.decode(String?.self, at: 0), totpSecret: try row.decode(String?.self, at: 1), totpConfirmed: try row.decode(at: 2),
                totpLastStep: Int64(try row.decode(Int.self, at: 3)), failedAttempts: try row.decode(at: 4), lastFailedAt: try row.decode(Date?.self, at: 5),
                lockedUntil: try row.decode(Date?.self, at: 6))
        }
    }
}

/// The secrets authd hands out once and keeps only as their SHA-256 (`OpaqueSecret`): refresh
/// tokens and activation codes.
enum OneTimeSecret {
    static func refreshToken() -> String { OpaqueSecret.make("gmr_") }

    /// Twelve characters of an alphabet without look-alikes, in groups of four (60 bits), for a
    /// person to type from a letter or a message: `K7QD-M2XP-9HWT`.
    static func activationCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The form a typed activation code is compared in: upper case, no separators.
    static func normalizedCode(_ text: String) -> String {
        String(text.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    static func hash(_ text: String) -> Data { OpaqueSecret.hash(text) }
}

import Foundation
import GridCore
import JWTKit

/// The claims of a GridMesh bearer token.
public struct TokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim
    public var role: Role
    public var scope: Scope
    public var agency: String?

    public init(subject: String, role: Role, scope: Scope, agency: String? = nil, issuer: String, issuedAt: Date = Date(), lifetime: Duration) {
        sub = SubjectClaim(value: subject)
        iss = IssuerClaim(value: issuer)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        jti = IDClaim(value: UUID().uuidString.lowercased())
        self.role = role
        self.scope = scope
        self.agency = agency
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    public var principal: Principal { Principal(subject: sub.value, role: role, scope: scope, agency: agency) }
}

import Foundation
import GridCore
import JWTKit

/// The claims of a GridMesh bearer token: who (`sub`, `role`, `scope`, `agency`), for which daemon
/// (`aud`), in which sign-in session (`sid`, absent on service and test tokens), how the person
/// proved it (`amr`, RFC 8176: `pwd`, and `otp` after a TOTP code), until when.
public struct TokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim
    public var sid: String?
    public var amr: [String]?
    public var role: Role
    public var scope: Scope
    public var agency: String?

    /// Every daemon of the mesh, the audience of tokens `gridctl token issue` mints for tests.
    public static let wholeMesh = ["patrold", "meetingd", "reentryd", "vettingd", "authd"]

    public init(
        subject: String, role: Role, scope: Scope, agency: String? = nil, issuer: String, audience: [String] = TokenClaims.wholeMesh,
        session: String? = nil, methods: [String]? = nil, issuedAt: Date = Date(), lifetime: Duration
    ) {
        sub = SubjectClaim(value: subject)
        iss = IssuerClaim(value: issuer)
        aud = AudienceClaim(value: audience)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        jti = IDClaim(value: UUID().uuidString.lowercased())
        sid = session
        amr = methods
        self.role = role
        self.scope = scope
        self.agency = agency
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    public var principal: Principal { Principal(subject: sub.value, role: role, scope: scope, agency: agency) }
}

import Foundation
import GridCore
import Hummingbird
import Webhooks

/// An inbound callback signed as Standard Webhooks (an agency's back office reporting progress):
/// the body, read within the cap, and its `webhook-id` once the signature, checked in constant time
/// against each of the sender's secrets, and the timestamp (within five minutes) hold. A replayed
/// id is refused where the caller records it, in the transaction of the change.
public enum SignedCallback {
    /// Whom a verified callback speaks for: the agency's head, in the agency's own street (agency
    /// codes are `street/kind`), never district-wide. Nil for a code that names no street.
    public static func principal(agency: String) -> Principal? {
        let parts = agency.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let scope = Scope("street:\(parts[0])") else { return nil }
        return Principal(subject: "callback:\(agency)", role: .agencyHead, scope: scope, agency: agency)
    }

    /// `sealed`: the agency's secrets as stored, sealed for `callback:<agency>`.
    public static func verify(
        _ request: Request, context: DaemonRequestContext, agency: String, sealed: [String]?, sealer: SecretSealer
    ) async throws -> (body: [UInt8], webhookID: String) {
        let body = Array(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
        let secrets = (sealed ?? []).compactMap { try? sealer.open($0, for: "callback:\(agency)") }
        guard !secrets.isEmpty else {
            if let sealed, !sealed.isEmpty { context.logger.error("a callback secret does not open with this secrets key", metadata: ["agency": "\(agency)"]) }
            throw Problem.unauthorized("this sender has no callback secret")
        }
        do {
            let id = try InboundWebhooks.verify(
                id: request.headers[.webhookID], timestamp: request.headers[.webhookTimestamp], signature: request.headers[.webhookSignature], body: body,
                secrets: secrets, now: Date())
            return (body, id)
        } catch {
            switch error {
            case .missingHeaders: throw Problem.unauthorized("webhook-id, webhook-timestamp and webhook-signature are required")
            case .staleTimestamp: throw Problem.unauthorized("webhook-timestamp is more than five minutes off")
            case .badSignature, .replayed: throw Problem.unauthorized("the signature is not valid")
            }
        }
    }

    /// The callback's JSON body, or 400 naming the problem.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        do {
            return try WireJSON.decoder().decode(type, from: Data(body))
        } catch {
            throw Problem.badRequest("the body is not the expected JSON", errors: [.init(field: "body", message: "\(error)".prefix(200).description)])
        }
    }
}

import Crypto
import Foundation
import GridCore

/// Encrypts a record's personal fields as one AES-256-GCM box, bound to the row it belongs to:
/// the row's id is the authenticated data, so a sealed value copied onto another row does not open.
public struct Sealer: Sendable {
    let keys: PersonalDataKeys

    public init(keys: PersonalDataKeys) { self.keys = keys }

    public var keyID: String { keys.sealingKeyID }

    /// nonce ‖ ciphertext ‖ tag of the value's JSON.
    public func seal<Value: Encodable>(_ value: Value, boundTo row: UUID) throws -> Data {
        let plaintext = try WireJSON.encoder().encode(value)
        let box = try AES.GCM.seal(plaintext, using: keys.sealing, authenticating: Self.binding(row))
        return box.combined!
    }

    public func open<Value: Decodable>(_ type: Value.Type, from sealed: Data, boundTo row: UUID) throws -> Value {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plaintext = try AES.GCM.open(box, using: keys.sealing, authenticating: Self.binding(row))
        return try WireJSON.decoder().decode(Value.self, from: plaintext)
    }

    static func binding(_ row: UUID) -> Data { Data(row.uuidString.lowercased().utf8) }
}

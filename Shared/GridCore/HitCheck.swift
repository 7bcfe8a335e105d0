/// The hit/no-hit question one registry answers for vettingd (reentryd's cases, patrold's clue
/// ledger): the keyed HMAC of an ID number in, one boolean out. One definition for both sides.
public enum HitCheck {
    public struct Question: Sendable, Codable, Equatable {
        /// Lower-case hex of HMAC-SHA256 under the shared lookup key.
        public let idNumberHmac: String

        public init(idNumberHmac: String) { self.idNumberHmac = idNumberHmac }
    }

    public struct Answer: Sendable, Codable, Equatable {
        public let hit: Bool

        public init(hit: Bool) { self.hit = hit }
    }
}

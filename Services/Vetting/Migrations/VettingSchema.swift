import Postgres

/// The `vetting` schema, owned by vettingd. Candidates' identities are sealed; their ID numbers
/// are kept as the keyed HMAC shared with reentryd and patrold, which is all a cross-check sends.
public enum VettingSchema {
    public static let migrations: [Migration] = [
        CycleMigration.migration,
        CandidateMigration.migration,
    ]

    public static var version: Int { migrations.last!.version }
}

import Postgres

/// The `reentry` schema, owned by reentryd: the most sensitive data of the mesh. No other daemon's
/// role is granted anything on it; personal fields are sealed (AES-GCM) before they reach SQL.
public enum ReentrySchema {
    public static let migrations: [Migration] = [
        CaseMigration.migration,
        ContactMigration.migration,
        SupervisionMigration.migration,
        BackdatedDeferralMigration.migration,
        AuditReasonMigration.migration,
    ]

    public static var version: Int { migrations.last!.version }
}

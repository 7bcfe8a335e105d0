import Postgres

/// reentry v4: a deferral that starts on a past day — which erases misses already made — is the
/// supervisor's alone and is marked, so the responsibility review shows it and the misses it
/// excused.
enum BackdatedDeferralMigration {
    static let migration = Migration(
        schema: "reentry", version: 4, name: "backdated deferrals",
        sql: """
            ALTER TABLE reentry.deferrals ADD COLUMN backdated boolean NOT NULL DEFAULT false;
            """)
}

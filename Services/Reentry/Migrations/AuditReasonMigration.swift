import Postgres

/// reentry v5: the free text staff type as a reason (a deferral's, a reallocation's, a hold's)
/// lives here, with its case, and goes with the case's personal data at the retention purge; the
/// append-only audit chain keeps only its keyed digest, so the chain still verifies afterwards.
enum AuditReasonMigration {
    static let migration = Migration(
        schema: "reentry", version: 5, name: "audit reasons purged with their case",
        sql: """
            CREATE TABLE reentry.audit_reasons (
                case_id uuid NOT NULL REFERENCES reentry.cases (id),
                digest text NOT NULL,
                reason text NOT NULL,
                at timestamptz NOT NULL,
                PRIMARY KEY (case_id, digest)
            );
            GRANT SELECT, INSERT, DELETE ON reentry.audit_reasons TO reentryd;
            """)
}

import Postgres

extension MeshSchema {
    /// mesh v8: webhook secrets are stored sealed with the mesh's secrets key (`SecretSealer`),
    /// never in clear. Rows written before it keep their clear secret until rotated (the constraint
    /// is not validated against them); a dispatcher cannot open such a secret and records each
    /// attempt as not sent, so `gridctl webhooks rotate` is the way on.
    public static let sealedSecrets = Migration(
        schema: "mesh", version: 8, name: "webhook secrets sealed",
        sql: """
            ALTER TABLE mesh.webhook_endpoints DROP CONSTRAINT webhook_endpoints_secret_check;
            ALTER TABLE mesh.webhook_endpoints ADD CONSTRAINT webhook_endpoints_secret_sealed CHECK (secret LIKE 'sealed:v1:%') NOT VALID;
            """)
}

import Daemon

/// patrold: grid patrols and findings.
public enum Patrold {
    public static let definition = DaemonDefinition(
        name: "patrold", title: "GridMesh patrold",
        summary: "Grid patrols: grid workers submit findings, which the mesh hears of as events.",
        defaultPort: 8081, schema: "patrol", schemaVersion: PatrolSchema.version
    ) { setup in
        FindingRoutes.register(on: setup.routes, store: FindingStore(pool: setup.pool, bus: setup.bus))
    }
}

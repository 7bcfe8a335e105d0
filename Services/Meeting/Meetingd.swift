import Daemon

/// meetingd: the street coordination meetings of the five agency heads.
public enum Meetingd {
    public static let definition = DaemonDefinition(
        name: "meetingd", title: "GridMesh meetingd",
        summary: "Coordination meetings of the five agency heads per street; hears of findings through the event bus.",
        defaultPort: 8082, schema: "meeting", schemaVersion: MeetingSchema.version
    ) { setup in
        FindingIntake.register(&setup.handlers)
        IntakeRoutes.register(on: setup.routes, pool: setup.pool)
    }
}

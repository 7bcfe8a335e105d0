import Daemon

/// The JSON Schemas of patrold's bodies, for its OpenAPI document.
enum PatrolSchemas {
    static let submission = Schema.object(
        [
            ("id", Schema.string("Made by the phone; a retry sends the same id", format: "uuid")),
            ("category", Schema.string("A finding category code of the service catalogue")),
            ("description", Schema.string(maxLength: 2000)),
            ("latitude", Schema.number(minimum: -90, maximum: 90)), ("longitude", Schema.number(minimum: -180, maximum: 180)),
            ("coord_system", Schema.string("The phone's coordinate system; stored as WGS84", enum: ["wgs84", "gcj02", "bd09"])),
            ("address", Schema.string(maxLength: 200)), ("attributes", ["type": "object", "additionalProperties": ["type": "string"]]),
            ("observed_at", Schema.dateTime), ("patrol_id", Schema.uuid),
        ], required: ["id", "category", "description", "observed_at"])

    static let finding = Schema.object(
        [
            ("id", Schema.uuid), ("grid_code", Schema.string()), ("community_code", Schema.string()), ("street_code", Schema.string()),
            ("category", Schema.string()), ("priority", Schema.string(enum: ["low", "normal", "high", "urgent"])), ("description", Schema.string()),
            ("latitude", Schema.number()), ("longitude", Schema.number()), ("address", Schema.string()),
            ("location_flag", Schema.string("Set when the location lies just outside the reporter's grid", enum: ["outside_grid"])),
            ("attributes", ["type": "object"]), ("observed_at", Schema.dateTime), ("submitted_at", Schema.dateTime), ("reporter", Schema.string()),
            ("patrol_id", Schema.uuid), ("state", Schema.string(enum: FindingState.allCases.map(\.rawValue))), ("agency_code", Schema.string()),
            ("dispatched_at", Schema.dateTime), ("deadline_at", Schema.dateTime), ("escalated_at", Schema.dateTime),
            ("resolved_at", Schema.dateTime), ("closed_at", Schema.dateTime), ("merged_into", Schema.uuid), ("rating", Schema.integer(minimum: 1, maximum: 5)),
            ("updated_at", Schema.dateTime), ("overdue", Schema.boolean),
        ],
        required: [
            "id", "grid_code", "community_code", "street_code", "category", "description", "observed_at", "submitted_at", "reporter", "state", "overdue",
        ])

    static let transition = Schema.object([
        ("action", Schema.string()), ("from_state", Schema.string()), ("to_state", Schema.string()), ("actor", Schema.string()),
        ("actor_role", Schema.string()), ("reason", Schema.string()), ("at", Schema.dateTime),
    ])

    static let transitionRequest = Schema.object(
        [
            ("action", Schema.string(enum: FindingAction.allCases.map(\.rawValue))), ("reason", Schema.string(maxLength: 1000)),
            ("agency_code", Schema.string("dispatch: the agency; default the street's agency for the category")),
            ("deadline_working_days", Schema.integer("dispatch: overrides the category's deadline", minimum: 1, maximum: 60)),
            ("merge_into", Schema.string("merge: the finding this one duplicates", format: "uuid")),
            ("patrol_id", Schema.string("verify: the open patrol the check was made on", format: "uuid")),
        ], required: ["action"])

    static let patrol = Schema.object([
        ("id", Schema.uuid), ("grid_code", Schema.string()), ("worker", Schema.string()), ("started_at", Schema.dateTime), ("ended_at", Schema.dateTime),
    ])
}

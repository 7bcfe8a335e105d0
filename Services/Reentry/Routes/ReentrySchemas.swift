import Daemon

/// OpenAPI shapes of reentryd's replies.
enum ReentrySchemas {
    static let kinds = CaseKind.allCases.map(\.rawValue)
    static let levels = SupervisionLevel.allCases.map(\.rawValue)
    static let contactTypes = ContactType.allCases.map(\.rawValue)

    static let supervisionCase = Schema.object([
        ("id", Schema.uuid), ("case_ref", Schema.string("pseudonymous; what events and other daemons see")), ("kind", Schema.string(enum: kinds)),
        ("level", Schema.string(enum: levels)), ("starts_on", Schema.string(format: "date")), ("ends_on", Schema.string(format: "date")),
        ("residence_grid", Schema.string()), ("community_code", Schema.string()), ("street_code", Schema.string()),
        ("state", Schema.string(enum: ["open", "closed", "purged"])), ("community_worker", Schema.string()), ("police_officer", Schema.string()),
        ("supervisor", Schema.string()), ("reassess_by", Schema.string(format: "date")), ("legal_hold", Schema.boolean),
        ("opened_at", Schema.dateTime), ("closed_at", Schema.dateTime),
    ])

    static let person = Schema.object(
        [
            ("name", Schema.string(maxLength: 100)), ("national_id", Schema.string("18-character resident ID number")),
            ("gender", Schema.string(maxLength: 10)), ("date_of_birth", Schema.string(format: "date")), ("address", Schema.string(maxLength: 200)),
            ("phone", Schema.string(maxLength: 30)), ("emergency_contact", Schema.string(maxLength: 200)),
        ], required: ["name", "national_id"])

    static let obligation = Schema.object([
        ("rule", Schema.string(enum: ["first", "periodic"])), ("contact_type", Schema.string(enum: contactTypes)), ("standard_id", Schema.integer()),
        ("level", Schema.string(enum: levels)), ("window_start", Schema.string(format: "date")), ("window_end", Schema.string(format: "date")),
        ("due_on", Schema.string(format: "date")), ("required", Schema.integer()), ("cut", Schema.boolean), ("contacts", Schema.array(Schema.uuid)),
        ("completed_on", Schema.string(format: "date")), ("state", Schema.string(enum: ["open", "met", "late", "overdue", "superseded"])),
    ])

    static let contact = Schema.object([
        ("id", Schema.uuid), ("contact_type", Schema.string(enum: contactTypes)), ("method", Schema.string(enum: ContactCounting.methods)),
        ("location", Schema.string(enum: ContactCounting.locations)), ("outcome", Schema.string(enum: ContactCounting.outcomes)),
        ("occurred_at", Schema.dateTime), ("notes", Schema.string()), ("recorded_by", Schema.string()), ("recorded_at", Schema.dateTime),
        ("visit_request_id", Schema.uuid), ("counts_as", Schema.array(Schema.string(enum: contactTypes))),
    ])

    static let supportItem = Schema.object([
        ("id", Schema.uuid), ("area", Schema.string(enum: SupportItem.areas)), ("status", Schema.string(enum: SupportItem.statuses)),
        ("due_on", Schema.string(format: "date")), ("details", Schema.string()), ("updated_by", Schema.string()), ("updated_at", Schema.dateTime),
    ])

    static let reason = ("reason", Schema.string("why (1 to 500 characters)", maxLength: 500))
}

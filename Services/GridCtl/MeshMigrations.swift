import Audit
import Auth
import EventBus
import Geography
import Meeting
import Patrol
import Postgres
import Reentry
import Vetting
import Webhooks

/// Every schema's migrations, in the order they must apply: the bus and roles, the geography,
/// then each daemon's schema.
public enum MeshMigrations {
    public static let all: [Migration] =
        MeshSchema.migrations + [
            AuditSchema.migration, MeshSchema.handledWithdrawal, InboundSchema.migration, MeshSchema.webhookOutbox, MeshSchema.pruning, MeshSchema.ownEvents,
            MeshSchema.sealedSecrets, MeshSchema.replayRounds,
        ]
        + GeographySchema.migrations + [MeshSchema.authdJoins]
        + PatrolSchema.migrations + MeetingSchema.migrations + ReentrySchema.migrations
        + VettingSchema.migrations + AuthSchema.migrations
}

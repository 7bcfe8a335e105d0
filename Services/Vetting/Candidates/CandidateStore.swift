import Audit
import Daemon
import EventBus
import Foundation
import Geography
import GridCore
import PersonalData
import Postgres

/// Candidates of a cycle: nomination with a sealed identity, the screening package (two remote
/// hit/no-hit cross-checks, two manual checks), the second officer's review, the notice and the
/// candidate's response, the final decision. Every read of a screening is audited.
public struct CandidateStore: Sendable {
    let pool: PostgresPool
    let bus: EventBus
    let clock: any WallClock
    let keys: PersonalDataKeys
    let sealer: Sealer
    let timeZone: TimeZone
    let chain: String
    /// Working days a notified candidate has to respond.
    let responseWorkingDays: Int
    /// Nominations one officer may make in 24 hours. Each nomination asks the reentry registry and
    /// the clue ledger about a person, so nominating is also a way to probe: past the limit it is
    /// refused (and the refusal audited for the discipline inspectors).
    let nominationsPerDay: Int

    public init(
        pool: PostgresPool, bus: EventBus, clock: any WallClock, keys: PersonalDataKeys, timeZone: TimeZone, chain: String, responseWorkingDays: Int,
        nominationsPerDay: Int
    ) {
        self.nominationsPerDay = nominationsPerDay
        self.pool = pool
        self.bus = bus
        self.clock = clock
        self.keys = keys
        self.sealer = Sealer(keys: keys)
        self.timeZone = timeZone
        self.chain = chain
        self.responseWorkingDays = responseWorkingDays
    }

    public struct Nomination: Sendable, Decodable {
        let id: UUID
        let seat: String
        let person: CandidatePerson
    }

    public struct Detail: Sendable, Encodable {
        let candidate: Candidate
        let person: CandidatePerson
        let checks: [ScreeningCheck]
        let response: String?
    }

    static let seats = ["secretary", "director", "deputy", "member"]

    func cycle(_ id: UUID, access: ElectionAccess, on connection: PostgresConnection) throws -> ElectionCycle {
        guard
            let cycle = try connection.query(
                "SELECT \(ElectionCycle.columns) FROM vetting.cycles c WHERE c.id = $1 AND \(ElectionAccess.predicate(alias: "c", level: 2, code: 3))",
                [id, access.level, access.code]
            ).first.map(ElectionCycle.init(row:))
        else { throw Problem.notFound("no cycle of yours with this id") }
        return cycle
    }

    func candidate(_ id: UUID, access: ElectionAccess, forUpdate: Bool = false, on connection: PostgresConnection) throws -> (Candidate, ElectionCycle) {
        guard
            let row = try connection.query(
                """
                SELECT \(Candidate.columns), \(ElectionCycle.columns) FROM vetting.candidates k JOIN vetting.cycles c ON c.id = k.cycle_id
                WHERE k.id = $1 AND \(ElectionAccess.predicate(alias: "c", level: 2, code: 3)) \(forUpdate ? "FOR UPDATE OF k" : "")
                """, [id, access.level, access.code]
            ).first
        else { throw Problem.notFound("no candidate of yours with this id") }
        return (try Candidate(row: row), try ElectionCycle(row: row.dropping(13)))
    }

    func audit(_ principal: Principal, _ action: String, candidate id: UUID, reason: String? = nil, requestID: String?, on connection: PostgresConnection)
        throws
    {
        try AuditLog.append(
            chain: chain, actor: principal, action: action, target: "candidate:\(id.uuidString.lowercased())", reason: reason, requestID: requestID,
            at: clock.now(), on: connection)
    }

    /// Nominates a candidate for a seat and queues the screening package.
    public func nominate(_ nomination: Nomination, in cycleID: UUID, by principal: Principal, requestID: String?) async throws -> (Candidate, created: Bool) {
        let access = try ElectionAccess(changing: principal)
        var errors: [Problem.FieldError] = []
        let nationalID = NationalID(nomination.person.nationalId)
        if nationalID == nil { errors.append(.init(field: "person.national_id", message: "is not a valid 18-character resident ID number")) }
        if nomination.person.name.trimmingCharacters(in: .whitespaces).isEmpty || nomination.person.name.length > 100 {
            errors.append(.init(field: "person.name", message: "must be 1 to 100 characters"))
        }
        if !Self.seats.contains(nomination.seat) { errors.append(.init(field: "seat", message: "must be one of \(Self.seats.joined(separator: ", "))")) }
        for (field, value) in [
            ("person.education", nomination.person.education), ("person.phone", nomination.person.phone), ("person.gender", nomination.person.gender),
        ]
        where (value?.length ?? 0) > 100 {
            errors.append(.init(field: field, message: "at most 100 characters"))
        }
        guard errors.isEmpty, let nationalID else { throw Problem.validation(errors) }
        let lookup = nationalID.lookupHash(using: keys)
        let now = clock.now()
        let (limit, chain) = (nominationsPerDay, chain)
        do {
            return try await nominate(nomination, person: nationalID, lookup: lookup, in: cycleID, access: access, by: principal, requestID: requestID, at: now)
        } catch NominationLimit.reached {
            try await pool.transaction {
                try AuditLog.append(
                    chain: chain, actor: principal, action: "candidate.nominate.refused", target: "cycle:\(cycleID.uuidString.lowercased())",
                    reason: "more than \(limit) nominations in 24 hours", requestID: requestID, at: now, on: $0)
            }
            throw Problem.tooMany(
                "nomination-limit", "at most \(limit) nominations in 24 hours: each one asks about a person", retryAfterSeconds: 3600)
        }
    }

    enum NominationLimit: Error { case reached }

    private func nominate(
        _ nomination: Nomination, person nationalID: NationalID, lookup: Data, in cycleID: UUID, access: ElectionAccess, by principal: Principal,
        requestID: String?, at now: Date
    ) async throws -> (Candidate, created: Bool) {
        try await pool.transaction { connection in
            let cycle = try cycle(cycleID, access: access, on: connection)
            if let existing = try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.id = $1", [nomination.id]).first.map(
                Candidate.init(row:))
            {
                guard existing.cycleId == cycleID, existing.nominatedBy == principal.subject else {
                    throw Problem.conflict("id-taken", "this id belongs to another candidate")
                }
                return (existing, false)
            }
            guard !["confirmed", "election"].contains(cycle.state) else { throw Problem.conflict("cycle-closed", "nominations are closed") }
            let recent = try connection.query(
                "SELECT count(*)::int FROM vetting.candidates WHERE nominated_by = $1 AND nominated_at > $2",
                [principal.subject, now.addingTimeInterval(-86400)]
            ).first!.decode(Int.self, at: 0)
            guard recent < nominationsPerDay else { throw NominationLimit.reached }
            var person = nomination.person
            person.nationalId = nationalID.value
            let inserted = try connection.execute(
                """
                INSERT INTO vetting.candidates (id, cycle_id, seat, id_number_hmac, sealed, key_id, nominated_by, nominated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (cycle_id, id_number_hmac) DO NOTHING
                """, [nomination.id, cycleID, nomination.seat, lookup, try sealer.seal(person, boundTo: nomination.id), sealer.keyID, principal.subject, now])
            guard inserted == 1 else { throw Problem.conflict("already-nominated", "this person is already a candidate in this cycle") }
            for kind in ScreeningCheck.remote + ScreeningCheck.manual {
                // when to ask is the requester's (real) time, like its retries
                try connection.execute("INSERT INTO vetting.checks (candidate_id, kind, next_attempt_at) VALUES ($1, $2, now())", [nomination.id, kind])
            }
            try audit(principal, "candidate.nominate", candidate: nomination.id, requestID: requestID, on: connection)
            return (
                try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.id = $1", [nomination.id]).first.map(Candidate.init(row:))!,
                true
            )
        }
    }

    /// A cycle's candidates (no identities); the read is audited.
    public func list(in cycleID: UUID, for principal: Principal, requestID: String?) async throws -> [Candidate] {
        let access = try ElectionAccess(reading: principal)
        return try await pool.transaction { connection in
            _ = try cycle(cycleID, access: access, on: connection)
            try AuditLog.append(
                chain: chain, actor: principal, action: "candidates.read", target: "cycle:\(cycleID.uuidString.lowercased())", requestID: requestID,
                at: clock.now(), on: connection)
            return try connection.query("SELECT \(Candidate.columns) FROM vetting.candidates k WHERE k.cycle_id = $1 ORDER BY k.nominated_at, k.id", [cycleID])
                .map(Candidate.init(row:))
        }
    }

    /// The screening record with the identity opened; audited.
    public func detail(_ id: UUID, for principal: Principal, requestID: String?) async throws -> Detail {
        let access = try ElectionAccess(reading: principal)
        return try await pool.transaction { connection in
            let (candidate, _) = try candidate(id, access: access, on: connection)
            try audit(principal, "screening.read", candidate: id, requestID: requestID, on: connection)
            let row = try connection.query("SELECT sealed, sealed_response FROM vetting.candidates WHERE id = $1", [id]).first!
            let checks = try connection.query(
                "SELECT kind, state, result, sealed_note, checked_by, checked_at, last_error FROM vetting.checks WHERE candidate_id = $1 ORDER BY kind", [id]
            ).map {
                ScreeningCheck(
                    kind: try $0.decode(at: 0), state: try $0.decode(at: 1), result: try $0.decode(String?.self, at: 2),
                    note: try $0.decode(Data?.self, at: 3).map { try sealer.open(String.self, from: $0, boundTo: id) },
                    checkedBy: try $0.decode(String?.self, at: 4), checkedAt: try $0.decode(Date?.self, at: 5), lastError: try $0.decode(String?.self, at: 6))
            }
            return Detail(
                candidate: candidate, person: try sealer.open(CandidatePerson.self, from: try row.decode(at: 0), boundTo: id), checks: checks,
                response: try row.decode(Data?.self, at: 1).map { try sealer.open(String.self, from: $0, boundTo: id) })
        }
    }

    /// When every check is done: clear if nothing hit or failed, else consider (`candidate.screened`).
    func concludeScreening(_ id: UUID, now: Date, on connection: PostgresConnection) throws {
        let results = try connection.query("SELECT state, result FROM vetting.checks WHERE candidate_id = $1", [id]).map {
            (try $0.decode(String.self, at: 0), try $0.decode(String?.self, at: 1))
        }
        guard results.allSatisfy({ $0.0 == "done" }) else { return }
        let outcome = results.contains { ["hit", "fail"].contains($0.1) } ? "consider" : "clear"
        guard
            let row = try connection.query(
                """
                UPDATE vetting.candidates k SET state = $2, screened_at = $3 FROM vetting.cycles c
                WHERE k.id = $1 AND k.state = 'screening' AND c.id = k.cycle_id RETURNING k.cycle_id, c.community_code
                """, [id, outcome, now]
            ).first
        else { return }
        try bus.publish(
            "candidate.screened",
            VettingEvents.CandidateScreened(candidateId: id, cycleId: try row.decode(at: 0), communityCode: try row.decode(at: 1), outcome: outcome), at: now,
            on: connection)
    }
}

import Foundation
import GridCore
import HTTPClient
import Testing

/// Review proof: every operation of every daemon's OpenAPI document, called with a token of every
/// role — in Shuiguohu, and the street roles again in Jiyuqiao — against the access the document
/// declares. A role outside the declaration is refused and changes nothing; a caller of the other
/// street never sees a Shuiguohu row; the clue and the supervised person's ID number show only to
/// the roles whose work needs them; nothing answers 5xx. A route without a declaration fails it.
@Suite("Authorization matrix: every operation × every role", .serialized)
struct AuthorizationMatrixTests {
    struct Outcome: CustomStringConvertible {
        let call: OperationCall
        let caller: MatrixMesh.Caller
        let status: Int
        let text: String
        var description: String { "\(call.name) as \(caller.name) (\(caller.role.rawValue)): \(status) \(text.prefix(200))" }
    }

    @Test func everyOperationAdmitsOnlyItsDeclaredRoles() async throws {
        let mesh = try await MatrixMesh()
        var calls: [OperationCall] = []
        for daemon in ["patrold", "meetingd", "reentryd", "vettingd"] {
            let document = try Mesh.json(try await Mesh.request("GET", mesh.url(daemon) + "/openapi.json"))
            let declared = OperationCall.all(daemon: daemon, document: document)
            #expect(declared.allSatisfy { $0 != nil }, "\(daemon): an operation without x-gridmesh-access")
            calls += declared.compactMap { $0 }
        }
        let guarded = calls.filter(\.takesBearer)
        #expect(guarded.count >= 90, "the documents describe \(guarded.count) operations that take a token")

        // 1. every role outside the declaration: 403, and nothing changed
        let before = try await mesh.digest()
        var refusals = 0
        for call in guarded {
            for caller in mesh.callers where !call.roles.contains(caller.role.rawValue) {
                let outcome = try await send(call, as: caller, in: mesh)
                #expect(outcome.status == 403, "\(outcome)")
                refusals += 1
            }
        }
        let after = try await mesh.digest()
        #expect(after == before, "a refused call changed a row: \(Set(after).subtracting(before).sorted())")

        // 2. the declared roles: reads first, then changes; no 5xx, never refused for the role
        var admitted: [Outcome] = []
        for call in guarded.sorted(by: { $0.isRead && !$1.isRead }) {
            for caller in mesh.callers where call.roles.contains(caller.role.rawValue) {
                let outcome = try await send(call, as: caller, in: mesh)
                admitted.append(outcome)
                #expect(outcome.status < 500, "\(outcome)")
                #expect(outcome.status != 401, "\(outcome)")
                #expect(outcome.status != 403 || Self.finerThanRole[call.id] != nil, "admitted by the declaration, refused by the code: \(outcome)")
                check(outcome, in: mesh)
            }
        }
        for outcome in admitted {
            let path = outcome.call.path(ours: mesh.ours)
            if outcome.caller.otherStreet && path.namesOurRecord {
                // callers of the other street neither read nor change a Shuiguohu record
                #expect(!(200..<300).contains(outcome.status), "\(outcome)")
            } else if !outcome.caller.otherStreet && outcome.call.isRead && path.onlyOurs {
                // and Shuiguohu's own callers read it
                #expect(outcome.status == 200, "\(outcome)")
            }
        }
        let readsGranted = admitted.filter { $0.call.isRead && $0.status == 200 }.count
        #expect(readsGranted > 60, "only \(readsGranted) reads answered 200: the matrix is not reaching the data")

        // the signed callbacks refuse an unsigned call
        for call in calls where call.credential == "signature" {
            let response = try await Mesh.request(call.method, mesh.url(call.daemon) + call.path(ours: mesh.ours).path, json: call.body)
            #expect(response.status == 401, "\(call.name) unsigned: \(response.status)")
        }
        await mesh.stop()
        print("authorization matrix: \(guarded.count) operations × \(mesh.callers.count) callers; \(refusals) refusals, \(admitted.count) admitted calls")
    }

    /// Operations whose code decides below the role — by the action asked for, or by which service
    /// is asking — so an admitted role may still be refused with 403.
    static let finerThanRole: [String: String] = [
        "transitionFinding": "FindingAction.roles: each action has its own roles (a grid worker does not triage)",
        "changeRectification": "the order's target responds, the street verifies",
        "changeActionItem": "the owner agency reports done, the street verifies",
        "clueCheck": "only the vetting service, by subject",
        "registryCheck": "only the vetting service, by subject",
    ]

    private func send(_ call: OperationCall, as caller: MatrixMesh.Caller, in mesh: MatrixMesh) async throws -> Outcome {
        let response = try await Mesh.request(call.method, mesh.url(call.daemon) + call.path(ours: mesh.ours).path, token: caller.token, json: call.body)
        return Outcome(call: call, caller: caller, status: response.status, text: response.text)
    }

    /// No row of another scope, and no confidential value to a role that does not need it.
    private func check(_ outcome: Outcome, in mesh: MatrixMesh) {
        let text = outcome.text.lowercased()
        if outcome.caller.otherStreet {
            for marker in mesh.ourMarkers { #expect(!text.contains(marker.lowercased()), "Shuiguohu's \(marker) in \(outcome)") }
        } else if ![.commandCentre, .disciplineInspector, .auditor, .admin, .service].contains(outcome.caller.role) {
            for marker in mesh.theirMarkers { #expect(!text.contains(marker.lowercased()), "Jiyuqiao's \(marker) in \(outcome)") }
        }
        if ![.commandCentre, .disciplineInspector].contains(outcome.caller.role) {
            #expect(!outcome.text.contains(mesh.clueText), "the clue's text in \(outcome)")
        }
        if ![.caseworker, .disciplineInspector].contains(outcome.caller.role) {
            #expect(!outcome.text.contains(mesh.nationalID), "the ID number in \(outcome)")
        }
    }
}

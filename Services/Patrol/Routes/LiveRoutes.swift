import Daemon
import Foundation
import Hummingbird

/// `/v1/live`: the console's live board as Server-Sent Events — patrold's new findings, findings past
/// their deadline and hotspots within the caller's scope, pushed as they commit, never polled. The
/// page reads it with fetch (a bearer token in the header; never in the URL). A stream ends after
/// ten minutes (the token's life: the page reconnects with a fresh one), or within a second of its
/// session's revocation.
enum LiveRoutes {
    static let lifetime: Duration = .seconds(600)

    static func register(on routes: APIRoutes, feed: LiveFeed, revocations: SessionRevocations) {
        routes.add(
            APIOperation(
                .get, "/v1/live", id: "liveBoard", summary: "New findings, overdue findings and hotspots in your scope as they happen (text/event-stream)",
                tag: "live", access: .roles(.communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.header("Accept", Schema.string(enum: ["text/event-stream"]))],
                replies: [
                    .init(
                        200, "Events: `event:` the topic (finding.submitted, finding.overdue, hotspot.detected), `data:` its payload, `id:` its sequence",
                        Schema.string(), contentType: "text/event-stream"),
                    .init(406, "The request does not accept text/event-stream"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            guard (request.headers[.accept] ?? "").contains("text/event-stream") else {
                throw Problem(
                    .notAcceptable, code: "not-acceptable", title: "Not acceptable",
                    detail: "the live board is text/event-stream: send Accept: text/event-stream")
            }
            let session = context.session
            let items = feed.watch(principal.scope)
            let (body, output) = AsyncStream.makeStream(of: ByteBuffer.self)
            let task = Task {
                output.yield(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await item in items {
                            output.yield(ByteBuffer(string: "id: \(item.id)\nevent: \(item.topic)\ndata: \(item.payload)\n\n"))
                        }
                    }
                    group.addTask {
                        // a comment every 15 s keeps proxies from closing an idle stream
                        let end = ContinuousClock.now + lifetime
                        var beats = 0
                        while ContinuousClock.now < end {
                            do { try await Task.sleep(for: .seconds(1)) } catch { return }
                            if let session, revocations.contains(session) { return }
                            beats += 1
                            if beats % 15 == 0 { output.yield(ByteBuffer(string: ": keep-alive\n\n")) }
                        }
                    }
                    // the first to end (lifetime, revocation, shutdown) ends the stream
                    await group.next()
                    group.cancelAll()
                }
                output.finish()
            }
            output.onTermination = { _ in task.cancel() }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody(asyncSequence: body))
        }
    }
}

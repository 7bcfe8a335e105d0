import Daemon
import Foundation
import GridCore
import Hummingbird
import NIOCore

/// `/v1/findings/{id}/photos`: photos of a finding, uploaded as the raw image body.
enum PhotoRoutes {
    static let photoSchema = Schema.object([
        ("sha256", Schema.string()), ("content_type", Schema.string(enum: PhotoStore.types)), ("byte_size", Schema.integer()),
        ("uploaded_by", Schema.string()), ("uploaded_at", Schema.dateTime),
    ])

    static func register(on routes: APIRoutes, photos: PhotoStore, findings: FindingStore) {
        routes.add(
            APIOperation(
                .post, "/v1/findings/{id}/photos", id: "addPhoto", summary: "Add a photo (the body is the image: JPEG, PNG or WebP)", tag: "photos",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre),
                parameters: [.path("id", Schema.uuid), .header("Content-Type", Schema.string(enum: PhotoStore.types))],
                replies: [
                    .init(201, "Stored", photoSchema), .init(200, "The same photo was stored before", photoSchema), .init(413, "Too large"),
                    .init(415, "Not a supported image"),
                ])
        ) { request, context in
            let principal = try context.authenticated()
            let id = try context.uuid("id")
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard PhotoStore.types.contains(type) else {
                throw Problem(
                    .unsupportedMediaType, code: "unsupported-media-type", title: "Not a supported image type",
                    detail: "send image/jpeg, image/png or image/webp")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: photos.maxBytes)
            } catch is NIOTooManyBytesError {
                throw Problem.tooLarge(limit: photos.maxBytes)
            }
            guard buffer.readableBytes > 0 else { throw Problem.badRequest("the body is empty") }
            let (photo, created) = try await photos.add(Array(buffer.readableBytesView), type: type, to: id, by: principal, findings: findings)
            return try APICoding.response(
                created ? .created : .ok, photo, headers: [.location: "/v1/findings/\(id.uuidString.lowercased())/photos/\(photo.sha256)"])
        }

        routes.add(
            APIOperation(
                .get, "/v1/findings/{id}/photos", id: "listPhotos", summary: "The photos of a finding", tag: "photos",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid)], replies: [.init(200, "Photos", Schema.array(photoSchema)), .init(404, "No such finding in your scope")])
        ) { _, context in
            let principal = try context.authenticated()
            return try APICoding.response(.ok, try await photos.list(try context.uuid("id"), for: principal, findings: findings))
        }

        routes.add(
            APIOperation(
                .get, "/v1/findings/{id}/photos/{sha256}", id: "getPhoto", summary: "One photo's bytes", tag: "photos",
                access: .roles(.gridWorker, .communityStaff, .streetOfficer, .agencyHead, .commandCentre, .disciplineInspector),
                parameters: [.path("id", Schema.uuid), .path("sha256")],
                replies: [.init(200, "The image", Schema.string(format: "binary"), contentType: "image/*"), .init(404, "No such photo in your scope")])
        ) { _, context in
            let principal = try context.authenticated()
            let sha = try context.parameters.require("sha256")
            guard sha.count == 64, sha.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { throw Problem.notFound("no such photo") }
            let (photo, bytes) = try await photos.read(try context.uuid("id"), sha256: sha, for: principal, findings: findings)
            return Response(
                status: .ok, headers: [.contentType: photo.contentType, .cacheControl: "private, max-age=86400", .eTag: "\"\(photo.sha256)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

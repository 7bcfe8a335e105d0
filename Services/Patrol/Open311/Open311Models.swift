import Foundation

/// The shapes of Open311 GeoReport v2, field for field.
enum Open311 {
    struct Service: Encodable {
        let serviceCode: String
        let serviceName: String
        let description: String
        let metadata: Bool
        let type = "realtime"
        let keywords: String
        let group: String
    }

    struct Definition: Encodable {
        let serviceCode: String
        let attributes: [Attribute]
    }

    struct Attribute: Encodable {
        let variable = true
        let code: String
        let datatype: String
        let required: Bool
        let datatypeDescription: String?
        let order: Int
        let description: String
        let values: [Value]?
    }

    struct Value: Encodable {
        let key: String
        let name: String
    }

    struct ServiceRequest: Encodable {
        let serviceRequestId: String
        let status: String
        let statusNotes: String?
        let serviceName: String
        let serviceCode: String
        let description: String
        let agencyResponsible: String?
        let serviceNotice: String?
        let requestedDatetime: Date
        let updatedDatetime: Date
        let expectedDatetime: Date?
        let address: String?
        let addressId: String?
        let zipcode: String?
        let lat: Double?
        let long: Double?
        let mediaUrl: String?

        enum CodingKeys: String, CodingKey {
            case serviceRequestId, status, statusNotes, serviceName, serviceCode, description, agencyResponsible, serviceNotice
            case requestedDatetime, updatedDatetime, expectedDatetime, address, addressId, zipcode, lat, long, mediaUrl
        }

        /// Every field is present, null when unknown, as the spec's examples show.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(serviceRequestId, forKey: .serviceRequestId)
            try container.encode(status, forKey: .status)
            try container.encode(statusNotes, forKey: .statusNotes)
            try container.encode(serviceName, forKey: .serviceName)
            try container.encode(serviceCode, forKey: .serviceCode)
            try container.encode(description, forKey: .description)
            try container.encode(agencyResponsible, forKey: .agencyResponsible)
            try container.encode(serviceNotice, forKey: .serviceNotice)
            try container.encode(requestedDatetime, forKey: .requestedDatetime)
            try container.encode(updatedDatetime, forKey: .updatedDatetime)
            try container.encode(expectedDatetime, forKey: .expectedDatetime)
            try container.encode(address, forKey: .address)
            try container.encode(addressId, forKey: .addressId)
            try container.encode(zipcode, forKey: .zipcode)
            try container.encode(lat, forKey: .lat)
            try container.encode(long, forKey: .long)
            try container.encode(mediaUrl, forKey: .mediaUrl)
        }
    }

    struct Created: Encodable {
        let serviceRequestId: String
        let serviceNotice: String?
        let accountId: String?

        enum CodingKeys: String, CodingKey { case serviceRequestId, serviceNotice, accountId }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(serviceRequestId, forKey: .serviceRequestId)
            try container.encode(serviceNotice, forKey: .serviceNotice)
            try container.encode(accountId, forKey: .accountId)
        }
    }

    /// The spec's error array.
    struct Error: Encodable {
        let code: Int
        let description: String
    }
}

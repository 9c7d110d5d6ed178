import Foundation

/// Operating status of a clinic (API.md "Clinics").
public enum ClinicStatus: String, Codable, Sendable, CaseIterable {
    case active, pending, suspended
}

/// A clinic of a tenant. Its schedules are wall-clock times in ``timeZone``.
public struct Clinic: Codable, Sendable, Equatable {
    public var id: UUID
    public var tenantID: TenantID
    public var name: String
    /// URL-safe identifier, unique per tenant.
    public var slug: String
    /// IANA time zone identifier, e.g. `Asia/Kolkata`.
    public var timeZone: String
    public var address: String
    public var city: String
    public var status: ClinicStatus
    public var createdAt: Date

    public init(
        id: UUID, tenantID: TenantID, name: String, slug: String, timeZone: String, address: String, city: String,
        status: ClinicStatus, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.slug = slug
        self.timeZone = timeZone
        self.address = address
        self.city = city
        self.status = status
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenantId", name, slug, timeZone = "timezone", address, city, status, createdAt
    }

    /// Validates a slug: 2–64 characters of `a-z`, `0-9`, `-`, not starting or ending with `-`.
    /// - Throws: ``ValidationError`` for `slug`.
    public static func validateSlug(_ slug: String) throws {
        guard (2...64).contains(slug.count),
            slug.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }),
            slug.first != "-", slug.last != "-"
        else { throw ValidationError(field: "slug", problem: "must be 2-64 characters of a-z, 0-9 and '-'") }
    }

    /// Resolves an IANA zone identifier.
    /// - Throws: ``ValidationError`` for `field` when the zone is unknown.
    public static func zone(named identifier: String, field: String = "timezone") throws -> TimeZone {
        guard identifier.contains("/") || identifier == "UTC", let zone = TimeZone(identifier: identifier) else {
            throw ValidationError(field: field, problem: "must be an IANA time zone such as Asia/Kolkata")
        }
        return zone
    }
}

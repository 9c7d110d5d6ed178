import BookingCore
import Foundation
import SQLKit

/// Clinics of a tenant (API.md "Clinics").
public struct ClinicService: Sendable {
    let database: BookingDatabase

    /// Fields of a new clinic.
    public struct NewClinic: Sendable {
        public var name: String
        public var slug: String
        public var timeZone: String
        public var address: String
        public var city: String
        public var status: ClinicStatus

        public init(name: String, slug: String, timeZone: String, address: String, city: String, status: ClinicStatus = .active) {
            self.name = name
            self.slug = slug
            self.timeZone = timeZone
            self.address = address
            self.city = city
            self.status = status
        }
    }

    /// Creates a clinic in `sql`.
    /// - Throws: ``ValidationError`` for bad fields; ``BookingError/conflict(_:)`` when the slug is taken in the tenant.
    func create(_ sql: any SQLDatabase, tenant: TenantID, _ new: NewClinic, id: UUID = UUID(), now: Date = Date()) async throws -> Clinic {
        try Clinic.validateSlug(new.slug)
        _ = try Clinic.zone(named: new.timeZone)
        let clinic = Clinic(
            id: id, tenantID: tenant, name: try ContactRules.name(new.name), slug: new.slug, timeZone: new.timeZone,
            address: try ContactRules.name(new.address, field: "address", maxLength: 300),
            city: try ContactRules.name(new.city, field: "city", maxLength: 100), status: new.status, createdAt: now)
        let clinics = ClinicStore(sql)
        if try await clinics.slugExists(new.slug, tenant: tenant) { throw BookingError.conflict("a clinic with this slug already exists") }
        do {
            try await clinics.insert(clinic)
        } catch DatabaseError.uniqueViolation {
            throw BookingError.conflict("a clinic with this slug already exists")
        }
        return clinic
    }

    public func create(tenant: TenantID, _ new: NewClinic) async throws -> Clinic {
        try await database.transaction { sql in try await create(sql, tenant: tenant, new) }
    }

    /// One page of the tenant's clinics, by name, optionally filtered by status and city (case-insensitive).
    public func list(tenant: TenantID, status: ClinicStatus?, city: String?, page: Int, pageSize: Int) async throws -> ([Clinic], Int) {
        try await database.withConnection { sql in
            try await ClinicStore(sql).page(tenant: tenant, status: status, city: city, page: page, pageSize: pageSize)
        }
    }

    /// The clinic, or 404 when it does not exist in the tenant.
    public func get(tenant: TenantID, id: UUID) async throws -> Clinic {
        try await database.withConnection { sql in try await Self.get(sql, tenant: tenant, id: id) }
    }

    /// The clinic in `sql`; ``BookingError/notFound(resource:message:details:)`` when the tenant has none with `id`.
    static func get(_ sql: any SQLDatabase, tenant: TenantID, id: UUID) async throws -> Clinic {
        guard let clinic = try await ClinicStore(sql).find(id, tenant: tenant) else { throw BookingError.notFound(resource: "clinic") }
        return clinic
    }

    /// Changes status, name, address or city.
    public func update(tenant: TenantID, id: UUID, status: ClinicStatus?, name: String?, address: String?, city: String?) async throws -> Clinic {
        let name = try name.map { try ContactRules.name($0) }
        let address = try address.map { try ContactRules.name($0, field: "address", maxLength: 300) }
        let city = try city.map { try ContactRules.name($0, field: "city", maxLength: 100) }
        return try await database.transaction { sql in
            var clinic = try await Self.get(sql, tenant: tenant, id: id)
            if let status { clinic.status = status }
            if let name { clinic.name = name }
            if let address { clinic.address = address }
            if let city { clinic.city = city }
            try await ClinicStore(sql).update(clinic)
            return clinic
        }
    }
}

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
    /// - Throws: ``ValidationError`` for bad fields; 409 CONFLICT when the slug is taken in the tenant.
    func create(_ sql: any SQLDatabase, tenant: TenantID, _ new: NewClinic, id: UUID = UUID(), now: Date = Date()) async throws -> Clinic {
        try Clinic.validateSlug(new.slug)
        _ = try Clinic.zone(named: new.timeZone)
        let clinic = Clinic(
            id: id, tenantID: tenant, name: try ContactRules.name(new.name), slug: new.slug, timeZone: new.timeZone,
            address: try ContactRules.name(new.address, field: "address", maxLength: 300),
            city: try ContactRules.name(new.city, field: "city", maxLength: 100), status: new.status, createdAt: now)
        if try await sql.raw("SELECT id FROM clinics WHERE tenant_id = \(bind: tenant.rawValue) AND slug = \(bind: new.slug)").first() != nil {
            throw BookingError.conflict("a clinic with this slug already exists")
        }
        do {
            try await sql.raw(
                """
                INSERT INTO clinics (id, tenant_id, name, slug, timezone, address, city, status, created_at)
                VALUES (\(bind: Column.id(clinic.id)), \(bind: tenant.rawValue), \(bind: clinic.name), \(bind: clinic.slug),
                \(bind: clinic.timeZone), \(bind: clinic.address), \(bind: clinic.city), \(bind: clinic.status.rawValue),
                \(bind: Column.instant(now)))
                """
            ).run()
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
            var filter = SQLQueryString("tenant_id = \(bind: tenant.rawValue)")
            if let status { filter += " AND status = \(bind: status.rawValue)" }
            if let city { filter += " AND LOWER(city) = \(bind: city.lowercased())" }
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM clinics WHERE \(filter)").first()?.integer("n") ?? 0
            let rows = try await sql.raw(
                "SELECT * FROM clinics WHERE \(filter) ORDER BY name, id LIMIT \(bind: pageSize) OFFSET \(bind: (page - 1) * pageSize)"
            ).all()
            return (try rows.map(Self.clinic(from:)), total)
        }
    }

    /// The clinic, or 404 when it does not exist in the tenant.
    public func get(tenant: TenantID, id: UUID) async throws -> Clinic {
        try await database.withConnection { sql in try await Self.get(sql, tenant: tenant, id: id) }
    }

    static func get(_ sql: any SQLDatabase, tenant: TenantID, id: UUID) async throws -> Clinic {
        guard
            let row = try await sql.raw(
                "SELECT * FROM clinics WHERE id = \(bind: Column.id(id)) AND tenant_id = \(bind: tenant.rawValue)"
            ).first()
        else { throw BookingError.notFound(resource: "clinic") }
        return try clinic(from: row)
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
            try await sql.raw(
                """
                UPDATE clinics SET status = \(bind: clinic.status.rawValue), name = \(bind: clinic.name),
                address = \(bind: clinic.address), city = \(bind: clinic.city) WHERE id = \(bind: Column.id(id))
                """
            ).run()
            return clinic
        }
    }

    static func clinic(from row: any SQLRow) throws -> Clinic {
        guard let tenant = TenantID(rawValue: try row.text("tenant_id")),
            let status = ClinicStatus(rawValue: try row.text("status"))
        else { throw DatabaseError.failed("clinics row is malformed") }
        return Clinic(
            id: try row.uuid("id"), tenantID: tenant, name: try row.text("name"), slug: try row.text("slug"),
            timeZone: try row.text("timezone"), address: try row.text("address"), city: try row.text("city"),
            status: status, createdAt: try row.instant("created_at"))
    }
}

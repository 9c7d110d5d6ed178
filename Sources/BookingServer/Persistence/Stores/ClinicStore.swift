import BookingCore
import Foundation
import SQLKit

/// The `clinics` table: every SQL statement about clinics, on one connection or transaction. The rules (slugs,
/// names, time zones, who may see what) are ``ClinicService``'s.
struct ClinicStore {
    let sql: any SQLDatabase

    init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Whether the tenant has a clinic with `slug`.
    func slugExists(_ slug: String, tenant: TenantID) async throws -> Bool {
        try await sql.raw("SELECT id FROM clinics WHERE tenant_id = \(bind: tenant.rawValue) AND slug = \(bind: slug)").first() != nil
    }

    /// Stores a new clinic.
    /// - Throws: ``DatabaseError/uniqueViolation`` when its slug is taken in the tenant.
    func insert(_ clinic: Clinic) async throws {
        try await sql.raw(
            """
            INSERT INTO clinics (id, tenant_id, name, slug, timezone, address, city, status, created_at)
            VALUES (\(bind: Column.id(clinic.id)), \(bind: clinic.tenantID.rawValue), \(bind: clinic.name), \(bind: clinic.slug),
            \(bind: clinic.timeZone), \(bind: clinic.address), \(bind: clinic.city), \(bind: clinic.status.rawValue),
            \(bind: Column.instant(clinic.createdAt)))
            """
        ).run()
    }

    /// The clinic with `id` in the tenant, or `nil`.
    func find(_ id: UUID, tenant: TenantID) async throws -> Clinic? {
        try await sql.raw("SELECT * FROM clinics WHERE id = \(bind: Column.id(id)) AND tenant_id = \(bind: tenant.rawValue)").first()
            .map(Self.clinic(from:))
    }

    /// One page of the tenant's clinics by name (then id), with the number of all that match; `status` and `city`
    /// (case-insensitive) filter when given.
    func page(tenant: TenantID, status: ClinicStatus?, city: String?, page: Int, pageSize: Int) async throws -> ([Clinic], Int) {
        var filter = SQLQueryString("tenant_id = \(bind: tenant.rawValue)")
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        if let city { filter += " AND LOWER(city) = \(bind: city.lowercased())" }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM clinics WHERE \(filter)").first()?.integer("n") ?? 0
        let rows = try await sql.raw(
            "SELECT * FROM clinics WHERE \(filter) ORDER BY name, id LIMIT \(bind: pageSize) OFFSET \(bind: (page - 1) * pageSize)"
        ).all()
        return (try rows.map(Self.clinic(from:)), total)
    }

    /// Every clinic of the tenant, by name (then id).
    func all(tenant: TenantID) async throws -> [Clinic] {
        try await sql.raw("SELECT * FROM clinics WHERE tenant_id = \(bind: tenant.rawValue) ORDER BY name, id").all().map(Self.clinic(from:))
    }

    /// Saves the status, name, address and city of a stored clinic.
    func update(_ clinic: Clinic) async throws {
        try await sql.raw(
            """
            UPDATE clinics SET status = \(bind: clinic.status.rawValue), name = \(bind: clinic.name),
            address = \(bind: clinic.address), city = \(bind: clinic.city) WHERE id = \(bind: Column.id(clinic.id))
            """
        ).run()
    }

    /// A clinic from a `clinics` row (or a row holding its columns, as a join selecting `c.*` does).
    /// - Throws: ``DatabaseError/failed(_:)`` for a row the schema would not allow.
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

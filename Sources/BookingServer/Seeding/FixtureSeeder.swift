import BookingCore
import Foundation
import SQLKit

/// Persists a ``FixtureSet`` through the service layer (the same code paths the API uses), one
/// transaction per tenant. A tenant that already exists is left untouched, so seeding twice is harmless.
public struct FixtureSeeder: Sendable {
    public let services: BookingServices

    public init(services: BookingServices) { self.services = services }

    /// What a seeding run did.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var tenantsSeeded: [String] = []
        public var tenantsSkipped: [String] = []
        public var clinics = 0
        public var admins = 0
        public var doctors = 0
        public var patients = 0

        public var description: String {
            "seeded tenants [\(tenantsSeeded.joined(separator: ", "))], skipped existing [\(tenantsSkipped.joined(separator: ", "))]: "
                + "\(clinics) clinics, \(admins) admins, \(doctors) doctors, \(patients) patients"
        }
    }

    /// Seeds every tenant of `fixtures` that does not exist yet.
    /// - Throws: ``FixtureError`` (as `file: field: problem`) when a value is rejected by the domain rules.
    @discardableResult
    public func seed(_ fixtures: FixtureSet, now: Date = Date()) async throws -> Summary {
        var summary = Summary()
        for tenant in fixtures.tenants {
            guard let tenantID = TenantID(rawValue: tenant.id) else { continue }
            if try await services.accounts.tenantExists(tenantID) {
                summary.tenantsSkipped.append(tenant.id)
                continue
            }
            let counts = try await services.database.transaction { sql in
                try await seed(sql, tenant: tenantID, name: tenant.name, fixtures, now: now)
            }
            summary.tenantsSeeded.append(tenant.id)
            summary.clinics += counts.0
            summary.admins += counts.1
            summary.doctors += counts.2
            summary.patients += counts.3
        }
        return summary
    }

    private func seed(_ sql: any SQLDatabase, tenant: TenantID, name: String, _ fixtures: FixtureSet, now: Date) async throws -> (Int, Int, Int, Int) {
        try await sql.raw(
            "INSERT INTO tenants (id, name, created_at) VALUES (\(bind: tenant.rawValue), \(bind: name), \(bind: Column.instant(now)))"
        ).run()
        var clinicIDs: [String: UUID] = [:]
        let clinics = fixtures.clinics.enumerated().filter { $0.element.tenant == tenant.rawValue }
        for (index, clinic) in clinics {
            let created = try await rethrow("clinics.json", "clinics[\(index)]") {
                try await services.clinics.create(
                    sql, tenant: tenant,
                    .init(
                        name: clinic.name, slug: clinic.slug, timeZone: clinic.timezone, address: clinic.address, city: clinic.city,
                        status: clinic.status ?? .active), now: now)
            }
            clinicIDs[clinic.slug] = created.id
        }
        let admins = fixtures.admins.enumerated().filter { $0.element.tenant == tenant.rawValue }
        for (index, admin) in admins {
            _ = try await rethrow("admins.json", "admins[\(index)]") {
                try await services.accounts.createAccount(
                    sql, tenant: tenant, role: .admin, name: admin.name, email: admin.email, phone: admin.phone,
                    password: try await services.accounts.hashedPassword(admin.password), now: now)
            }
        }
        let patients = fixtures.patients.enumerated().filter { $0.element.tenant == tenant.rawValue }
        for (index, patient) in patients {
            _ = try await rethrow("patients.json", "patients[\(index)]") {
                try await services.accounts.createAccount(
                    sql, tenant: tenant, role: .patient, name: patient.name, email: patient.email, phone: patient.phone,
                    password: try await services.accounts.hashedPassword(patient.password), now: now)
            }
        }
        let doctors = fixtures.doctors.enumerated().filter { $0.element.tenant == tenant.rawValue }
        for (index, doctor) in doctors {
            try await rethrow("doctors.json", "doctors[\(index)]") {
                let created = try await services.doctors.onboard(
                    sql, tenant: tenant,
                    .init(
                        name: doctor.name, email: doctor.email, phone: doctor.phone, password: doctor.password,
                        specialization: doctor.specialization, fee: doctor.fee, consultationModes: doctor.consultationModes,
                        clinicIDs: doctor.clinics.compactMap { clinicIDs[$0] }, city: doctor.city, reviewStatus: doctor.reviewStatus),
                    password: try await services.accounts.hashedPassword(doctor.password), now: now)
                for schedule in doctor.schedules {
                    guard let clinicID = clinicIDs[schedule.clinic] else { continue }
                    try await services.doctors.setSchedule(
                        sql, tenant: tenant,
                        try DoctorSchedule(doctorID: created.id, clinicID: clinicID, slotMinutes: schedule.slotMinutes, weekly: schedule.weekly, timeOff: []),
                        now: now)
                }
            }
        }
        return (clinics.count, admins.count, doctors.count, patients.count)
    }

    private func rethrow<T>(_ file: String, _ field: String, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ValidationError {
            throw FixtureError(file: file, field: "\(field).\(error.field)", problem: error.problem)
        } catch let error as BookingError {
            throw FixtureError(file: file, field: field, problem: APIError(error).message)
        }
    }
}

import BookingCore
import Foundation

/// Seed data read from a fixtures folder (`Fixtures/`): tenants, clinics, admins, doctors with weekly
/// schedules, and patients. Every file is a JSON object with a `notice` string and one list.
///
/// Passwords in fixtures are development-only credentials; the `notice` of each file says so.
public struct FixtureSet: Sendable {
    public struct Tenant: Decodable, Sendable {
        public var id: String
        public var name: String
    }

    public struct Clinic: Decodable, Sendable {
        public var tenant: String
        public var name: String
        public var slug: String
        public var timezone: String
        public var address: String
        public var city: String
        public var status: ClinicStatus?
    }

    public struct Account: Decodable, Sendable {
        public var tenant: String
        public var name: String
        public var email: String
        public var phone: String
        public var password: String
    }

    public struct Schedule: Decodable, Sendable {
        /// Slug of one of the doctor's clinics.
        public var clinic: String
        public var slotMinutes: Int
        public var weekly: [WeeklyWindow]
    }

    public struct Doctor: Decodable, Sendable {
        public var tenant: String
        public var name: String
        public var email: String
        public var phone: String
        public var password: String
        public var specialization: String
        /// Fee in paise.
        public var fee: Int
        public var consultationModes: [ConsultationMode]
        /// Slugs of the doctor's clinics.
        public var clinics: [String]
        public var city: String
        public var reviewStatus: ReviewStatus
        public var schedules: [Schedule]
    }

    public var tenants: [Tenant]
    public var clinics: [Clinic]
    public var admins: [Account]
    public var doctors: [Doctor]
    public var patients: [Account]

    /// The files a fixtures folder holds, and the list key inside each.
    static let files: [(file: String, key: String)] = [
        ("tenants.json", "tenants"), ("clinics.json", "clinics"), ("admins.json", "admins"),
        ("doctors.json", "doctors"), ("patients.json", "patients"),
    ]

    /// Loads and validates every fixture file in `directory`.
    /// - Throws: ``FixtureError`` as `file: field: problem` (e.g. `doctors.json: doctors[2].fee: must be …`).
    /// A short reason from a JSON parsing error (Foundation's debug description when it has one).
    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? "malformed JSON"
    }

    public static func load(from directory: URL) throws -> FixtureSet {
        func list<T: Decodable>(_ file: String, _ key: String, as type: T.Type) throws -> [T] {
            let url = directory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                if file == "patients.json" { return [] }
                throw FixtureError(file: file, field: "", problem: "file is missing in \(directory.path)")
            }
            let data = try Data(contentsOf: url)
            let filtered: Data
            do {
                filtered = try data.filteringNotice()
            } catch {
                throw FixtureError(
                    file: file, field: "", problem: data.isEmpty ? "is empty (expected a JSON object)" : "is not a JSON object (\(Self.reason(error)))")
            }
            do {
                let object = try JSONDecoder().decode([String: FixtureList<T>].self, from: filtered)
                guard let items = object[key]?.items else {
                    throw FixtureError(file: file, field: key, problem: "is required (a list)")
                }
                return items
            } catch let error as DecodingError {
                let apiError = JSONBodyReader.validation(from: error)
                let (field, problem) = apiError.details?.first ?? ("body", apiError.message)
                throw FixtureError(file: file, field: field, problem: problem)
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FixtureError(file: directory.path, field: "", problem: "fixtures folder does not exist")
        }
        let set = FixtureSet(
            tenants: try list("tenants.json", "tenants", as: Tenant.self),
            clinics: try list("clinics.json", "clinics", as: Clinic.self),
            admins: try list("admins.json", "admins", as: Account.self),
            doctors: try list("doctors.json", "doctors", as: Doctor.self),
            patients: try list("patients.json", "patients", as: Account.self))
        try set.validate()
        return set
    }

    /// Cross-file checks: known tenants, known clinic slugs, valid values.
    public func validate() throws {
        let tenantIDs = Set(tenants.map(\.id))
        for (index, tenant) in tenants.enumerated() where TenantID(rawValue: tenant.id) == nil {
            throw FixtureError(file: "tenants.json", field: "tenants[\(index)].id", problem: "must be a tenant slug")
        }
        func checkTenant(_ tenant: String, _ file: String, _ field: String) throws {
            guard tenantIDs.contains(tenant) else { throw FixtureError(file: file, field: field, problem: "names unknown tenant '\(tenant)'") }
        }
        for (index, clinic) in clinics.enumerated() {
            try checkTenant(clinic.tenant, "clinics.json", "clinics[\(index)].tenant")
            do {
                try BookingCore.Clinic.validateSlug(clinic.slug)
                _ = try BookingCore.Clinic.zone(named: clinic.timezone)
            } catch let error as ValidationError {
                throw FixtureError(file: "clinics.json", field: "clinics[\(index)].\(error.field)", problem: error.problem)
            }
        }
        for (index, admin) in admins.enumerated() { try checkTenant(admin.tenant, "admins.json", "admins[\(index)].tenant") }
        for (index, patient) in patients.enumerated() { try checkTenant(patient.tenant, "patients.json", "patients[\(index)].tenant") }
        for (index, doctor) in doctors.enumerated() {
            let field = "doctors[\(index)]"
            try checkTenant(doctor.tenant, "doctors.json", "\(field).tenant")
            do { try BookingCore.Doctor.validateFee(doctor.fee) } catch let error as ValidationError {
                throw FixtureError(file: "doctors.json", field: "\(field).fee", problem: error.problem)
            }
            let slugs = Set(clinics.filter { $0.tenant == doctor.tenant }.map(\.slug))
            for (position, slug) in doctor.clinics.enumerated() where !slugs.contains(slug) {
                throw FixtureError(file: "doctors.json", field: "\(field).clinics[\(position)]", problem: "names unknown clinic '\(slug)'")
            }
            for (position, schedule) in doctor.schedules.enumerated() where !doctor.clinics.contains(schedule.clinic) {
                throw FixtureError(
                    file: "doctors.json", field: "\(field).schedules[\(position)].clinic", problem: "is not one of the doctor's clinics")
            }
        }
    }
}

/// A fixture file problem: `file: field: problem`.
public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var problem: String

    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String { field.isEmpty ? "\(file): \(problem)" : "\(file): \(field): \(problem)" }
}

/// A fixture list that also tolerates the file's `notice` string beside it.
private struct FixtureList<T: Decodable>: Decodable {
    var items: [T]
    init(from decoder: any Decoder) throws { items = try [T](from: decoder) }
}

extension Data {
    /// Removes the top-level `notice` entry so the remaining keys all hold lists.
    fileprivate func filteringNotice() throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: self) as? [String: Any] else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "must be a JSON object"))
        }
        object["notice"] = nil
        return try JSONSerialization.data(withJSONObject: object)
    }
}

import Hummingbird

/// `/api/patients/me` (API.md "Patients").
struct PatientRoutes {
    let accounts: AccountService

    struct UpdateBody: StrictBody {
        static let fields: Set<String> = ["name", "phone", "medicalHistory"]
        var name: String?
        var phone: String?
        var medicalHistory: [String]?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("api/patients/me") { _, context in
            let identity = try context.require(.patient)
            return try ResponseBuilder.success(try await accounts.patientProfile(identity))
        }
        router.put("api/patients/me") { request, context in
            let identity = try context.require(.patient)
            let body = try await JSONBodyReader.decode(UpdateBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await accounts.updatePatientProfile(identity, name: body.name, phone: body.phone, medicalHistory: body.medicalHistory))
        }
    }
}

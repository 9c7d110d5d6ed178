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
        let me = router.group("api/patients/me").add(middleware: RoleRequirementMiddleware(.patient))
        me.get { _, context in
            let identity = try context.requireIdentity()
            return try ResponseBuilder.success(try await accounts.patientProfile(identity))
        }
        me.put { request, context in
            let identity = try context.requireIdentity()
            let body = try await JSONBodyReader.decode(UpdateBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await accounts.updatePatientProfile(identity, name: body.name, phone: body.phone, medicalHistory: body.medicalHistory))
        }
    }
}

import BookingCore
import Foundation
import Hummingbird

/// `/api/admin/doctors*` (API.md "Admin").
struct AdminRoutes {
    let doctors: DoctorService

    struct OnboardBody: StrictBody {
        static let fields: Set<String> = [
            "name", "email", "phone", "password", "specialization", "fee", "consultationModes", "clinicIds", "city",
        ]
        var name: String
        var email: String
        var phone: String
        var password: String
        var specialization: String
        var fee: Int
        var consultationModes: [ConsultationMode]
        var clinicIds: [UUID]
        var city: String
    }

    struct ReviewBody: StrictBody {
        static let fields: Set<String> = ["reviewStatus", "notes"]
        var reviewStatus: ReviewStatus
        var notes: String?
    }

    func register(on router: Router<AppRequestContext>) {
        let admin = router.group("api/admin").add(middleware: RoleRequirementMiddleware(.admin))
        admin.post("doctors") { request, context in
            let identity = try context.requireIdentity()
            let body = try await JSONBodyReader.decode(OnboardBody.self, from: request, context: context)
            let doctor = try await doctors.onboard(
                tenant: identity.tenantID,
                .init(
                    name: body.name, email: body.email, phone: body.phone, password: body.password,
                    specialization: body.specialization, fee: body.fee, consultationModes: body.consultationModes,
                    clinicIDs: body.clinicIds, city: body.city))
            return try ResponseBuilder.success(doctor, status: .created)
        }
        admin.get("doctors") { request, context in
            let identity = try context.requireIdentity()
            let query = QueryParameters(request)
            let (page, pageSize) = try query.page()
            let (items, total) = try await doctors.list(
                tenant: identity.tenantID, role: .admin,
                search: .init(reviewStatus: try query.value("reviewStatus", as: ReviewStatus.self)), page: page, pageSize: pageSize)
            return try ResponseBuilder.success(items, meta: .init(page: page, pageSize: pageSize, total: total))
        }
        admin.put("doctors/:id/review") { request, context in
            let identity = try context.requireIdentity()
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(ReviewBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await doctors.review(tenant: identity.tenantID, id: id, to: body.reviewStatus, notes: body.notes))
        }
    }
}

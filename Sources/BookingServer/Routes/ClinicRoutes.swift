import BookingCore
import Hummingbird

/// `/api/clinics` (API.md "Clinics").
struct ClinicRoutes {
    let clinics: ClinicService
    /// Clinic lists and pages are kept here briefly (``ReadResponseCache``); they depend on the tenant only.
    let cache: ReadResponseCache

    struct CreateBody: StrictBody {
        static let fields: Set<String> = ["name", "slug", "timezone", "address", "city"]
        static let maxLengths: [String: Int] = ["timezone": 64]
        var name: String
        var slug: String
        var timezone: String
        var address: String
        var city: String
    }

    struct UpdateBody: StrictBody {
        static let fields: Set<String> = ["status", "name", "address", "city"]
        var status: ClinicStatus?
        var name: String?
        var address: String?
        var city: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("api/clinics") { request, context in
            let identity = try context.requireIdentity()
            let query = QueryParameters(request)
            let (page, pageSize) = try query.page()
            let status = try query.value("status", as: ClinicStatus.self)
            let city = try query.string("city")
            let key = ReadResponseCache.key(["clinics", identity.tenantID.rawValue, "\(page)", "\(pageSize)", status?.rawValue, city])
            return try await ResponseBuilder.cached(cache, key: key) {
                let (items, total) = try await clinics.list(
                    tenant: identity.tenantID, status: status, city: city, page: page, pageSize: pageSize)
                return .init(try ResponseBuilder.successBody(items, meta: .init(page: page, pageSize: pageSize, total: total)))
            }
        }
        router.get("api/clinics/:id") { _, context in
            let identity = try context.requireIdentity()
            let id = try context.uuidParameter()
            let key = ReadResponseCache.key(["clinic", identity.tenantID.rawValue, id.uuidString])
            return try await ResponseBuilder.cached(cache, key: key) {
                .init(try ResponseBuilder.successBody(try await clinics.get(tenant: identity.tenantID, id: id)))
            }
        }
        router.post("api/clinics") { request, context in
            let identity = try context.require(.admin)
            let body = try await JSONBodyReader.decode(CreateBody.self, from: request, context: context)
            let clinic = try await clinics.create(
                tenant: identity.tenantID,
                .init(name: body.name, slug: body.slug, timeZone: body.timezone, address: body.address, city: body.city))
            return try ResponseBuilder.success(clinic, status: .created)
        }
        router.patch("api/clinics/:id") { request, context in
            let identity = try context.require(.admin)
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(UpdateBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await clinics.update(
                    tenant: identity.tenantID, id: id, status: body.status, name: body.name, address: body.address, city: body.city))
        }
    }
}

import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// Route-by-route proof of the role rules and of tenant isolation (API.md "Roles", "Conventions": a foreign
/// id answers 404 exactly like a missing one). The tables cover every route the router registers: a new
/// route without an entry fails the test.
@Suite("Access matrix: roles and tenants, route by route")
struct AccessMatrixTests {
    enum Access { case everyone, roles(Set<String>) }

    /// Who may call each operation (method + path template as the router reports it).
    static let rules: [String: Access] = [
        "GET /health": .everyone, "GET /health/live": .everyone, "GET /health/ready": .everyone, "GET /metrics": .everyone,
        "POST /api/auth/register": .everyone, "POST /api/auth/login": .everyone,
        "POST /api/auth/refresh": .everyone, "POST /api/auth/logout": .everyone,
        "POST /api/auth/password": .roles(["patient", "doctor", "admin"]),
        "POST /api/payments/webhook": .everyone,
        "GET /api/patients/me": .roles(["patient"]), "PUT /api/patients/me": .roles(["patient"]),
        "GET /api/clinics": .roles(["patient", "doctor", "admin"]), "GET /api/clinics/{id}": .roles(["patient", "doctor", "admin"]),
        "POST /api/clinics": .roles(["admin"]), "PATCH /api/clinics/{id}": .roles(["admin"]),
        "GET /api/doctors": .roles(["patient", "doctor", "admin"]), "GET /api/doctors/{id}": .roles(["patient", "doctor", "admin"]),
        "GET /api/doctors/{id}/availability": .roles(["patient", "doctor", "admin"]),
        "PUT /api/doctors/me/availability": .roles(["doctor"]),
        "POST /api/admin/doctors": .roles(["admin"]), "GET /api/admin/doctors": .roles(["admin"]),
        "PUT /api/admin/doctors/{id}/review": .roles(["admin"]),
        "POST /api/appointments": .roles(["patient"]), "GET /api/appointments": .roles(["patient", "doctor", "admin"]),
        "GET /api/appointments/{id}": .roles(["patient", "doctor", "admin"]),
        "PATCH /api/appointments/{id}/status": .roles(["doctor", "admin"]),
        "DELETE /api/appointments/{id}": .roles(["patient", "doctor", "admin"]),
        "POST /api/waitlists": .roles(["patient"]), "GET /api/waitlists": .roles(["patient", "doctor", "admin"]),
        "POST /api/waitlists/{id}/promote": .roles(["doctor", "admin"]),
        "PATCH /api/waitlists/{id}/status": .roles(["doctor", "admin"]),
        "PATCH /api/waitlists/{id}/priority": .roles(["doctor", "admin"]),
        "POST /api/waitlists/bulk/status": .roles(["doctor", "admin"]),
        "GET /api/waitlists/policy": .roles(["patient", "doctor", "admin"]), "PUT /api/waitlists/policy": .roles(["admin"]),
        "GET /api/waitlists/analytics": .roles(["doctor", "admin"]),
        "GET /api/analytics/ops/pulse": .roles(["admin"]), "GET /api/analytics/clinics/metrics": .roles(["admin"]),
        "POST /api/payments": .roles(["patient"]), "POST /api/payments/verify": .roles(["patient"]),
        "POST /api/payments/sandbox/checkout": .roles(["patient"]),
    ]

    static func operations(_ server: LiveServer) -> [(method: String, path: String)] {
        BookingApplication.router(services: server.services).routes.map { route in
            let path =
                "/"
                + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
            return (route.method.rawValue.uppercased(), path)
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    @Test("every route answers 401 without a token, 403 to roles it refuses, and never 401/403 to roles it admits", arguments: DatabaseKind.available)
    func roles(_ database: DatabaseKind) async throws {
        try await withSeededServer(database, environment: bulkRateLimits) { server, client in
            let sessions: [String: APIClient] = [
                "patient": try await client.newPatient(),
                "doctor": try await client.authenticated(
                    email: FixtureCredentials.freeDoctorEmail, password: FixtureCredentials.doctorPassword, role: "doctor"),
                "admin": try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin"),
            ]
            let operations = Self.operations(server)
            #expect(operations.count == Self.rules.count, "every registered route has a rule and every rule a route")
            for (method, template) in operations {
                let key = "\(method) \(template)"
                guard let rule = Self.rules[key] else {
                    Issue.record("no access rule for \(key): add it to AccessMatrixTests.rules")
                    continue
                }
                let path = template.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                let body = method == "GET" || method == "DELETE" ? nil : Data("{}".utf8)
                func call(_ who: APIClient) async throws -> APIResponse {
                    try await who.send(method, path, rawBody: body, contentType: body == nil ? nil : "application/json")
                }
                guard case .roles(let allowed) = rule else { continue }
                let anonymous = try await call(client)
                #expect(anonymous.status == 401, "\(key) without a token: \(anonymous.status)")
                #expect(anonymous.apiError?.error.code == "UNAUTHORIZED", "\(key)")
                for (role, session) in sessions {
                    let status = try await call(session).status
                    if allowed.contains(role) {
                        #expect(status != 401 && status != 403, "\(key) as \(role) must be admitted, got \(status)")
                        #expect(status < 500, "\(key) as \(role): \(status)")
                    } else {
                        #expect(status == 403, "\(key) as \(role) must be refused, got \(status)")
                    }
                }
            }
        }
    }

    @Test("ids of another tenant answer 404 on every id route, and lists never include another tenant's rows", arguments: DatabaseKind.available)
    func tenants(_ database: DatabaseKind) async throws {
        try await withSeededServer(database, environment: bulkRateLimits) { server, client in
            // Rows of the second tenant: its clinic and doctor (seeded), an appointment and a waitlist entry.
            var sunriseClient = client
            sunriseClient.tenant = "sunrise-health"
            let sunrisePatient = try await sunriseClient.newPatient(tenant: "sunrise-health")
            let sunriseAdmin = try await sunriseClient.authenticated(
                email: FixtureCredentials.secondTenantAdminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let sunriseDoctor = try #require(try await sunriseAdmin.send("GET", "/api/admin/doctors").data(as: [AdminDoctor].self).first)
            let sunriseClinic = try #require(try await sunriseAdmin.send("GET", "/api/clinics").data(as: [AnyClinic].self).first)
            let slot = try #require(try await sunrisePatient.freeSlots(sunriseDoctor.id).first)
            let appointment = try await sunrisePatient.send(
                "POST", "/api/appointments",
                json: Body([
                    "doctorId": .string(sunriseDoctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                    "scheduledAt": .string(slot.start), "mode": .string("in-person"),
                ])
            ).data(as: Appointment.self, expecting: 201)
            let entry = try await sunrisePatient.send(
                "POST", "/api/waitlists",
                json: Body([
                    "doctorId": .string(sunriseDoctor.id.uuidString), "preferredWindow": .object(["start": slot.start, "end": slot.end]),
                ])
            ).data(as: WaitlistEntry.self, expecting: 201)
            let foreignIDs: [String: UUID] = [
                "/api/clinics/": sunriseClinic.id, "/api/doctors/": sunriseDoctor.id, "/api/admin/doctors/": sunriseDoctor.id,
                "/api/appointments/": appointment.id, "/api/waitlists/": entry.id,
            ]
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let idRoutes = Self.operations(server).filter { $0.path.contains("{id}") }
            #expect(idRoutes.count >= 11)
            for (method, template) in idRoutes {
                let prefix = String(template[..<template.range(of: "{id}")!.lowerBound])
                let id = try #require(foreignIDs[prefix], "no foreign id for \(template)")
                let body: [String: Body.Value] = [
                    "status": .string("cancelled"), "notes": .string("cross-tenant"),
                    "reviewStatus": .string("active"), "priorityScore": .int(50),
                    "scheduledAt": .string(slot.start), "clinicId": .string(sunriseClinic.id.uuidString),
                ]
                let json: Body? = method == "GET" || method == "DELETE" ? nil : Body(Self.fields(for: template).reduce(into: [:]) { $0[$1] = body[$1] })
                let response = try await admin.send(method, template.replacingOccurrences(of: "{id}", with: id.uuidString), json: json)
                #expect(response.status == 404, "\(method) \(template) with another tenant's id: \(response.status) \(response.text)")
            }
            // Nothing of the second tenant changed, and lists of the first never show its rows.
            #expect(try await sunrisePatient.send("GET", "/api/appointments/\(appointment.id)").data(as: Appointment.self).status == appointment.status)
            #expect(try await sunrisePatient.send("GET", "/api/waitlists").data(as: [WaitlistEntry].self).first?.status == "active")
            let lists = [
                "/api/clinics", "/api/doctors?pageSize=100", "/api/admin/doctors?pageSize=100", "/api/appointments?pageSize=100", "/api/waitlists?pageSize=100",
            ]
            for list in lists {
                let text = try await admin.send("GET", list).text
                for id in foreignIDs.values { #expect(!text.contains(id.uuidString), "\(list) must not show \(id)") }
            }
        }
    }

    /// The body fields each id route reads (so that the request is otherwise valid and only the id decides).
    static func fields(for template: String) -> [String] {
        if template.hasSuffix("/review") { return ["reviewStatus", "notes"] }
        if template.hasSuffix("/priority") { return ["priorityScore", "notes"] }
        if template.hasSuffix("/promote") { return ["scheduledAt", "clinicId"] }
        if template.hasSuffix("/status") { return ["status", "notes"] }
        if template.hasPrefix("/api/clinics/") { return ["name"] }
        return []
    }
}

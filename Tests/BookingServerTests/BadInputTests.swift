import Foundation
import IllajwalaTesting
import Testing

@Suite("Bad input gets a clear 4xx and the error envelope")
struct BadInputTests {
    @Test("malformed JSON, unknown and forbidden keys, wrong types, missing fields, bad ids, media type, size, paging", arguments: DatabaseKind.available)
    func badRequests(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            func post(_ path: String, _ raw: String, contentType: String = "application/json") async throws -> APIResponse {
                try await admin.send("POST", path, rawBody: Data(raw.utf8), contentType: contentType, requestID: "test-req-1")
            }
            let valid = #"{"name":"X","slug":"x-clinic","timezone":"Asia/Kolkata","address":"1 Road","city":"Pune"}"#
            let cases: [(String, String, Int, String, String?)] = [
                ("malformed", #"{"name":"#, 400, "VALIDATION_ERROR", "body"),
                ("not an object", "[1,2]", 400, "VALIDATION_ERROR", "body"),
                ("unknown field", valid.replacingOccurrences(of: "}", with: #","extra":1}"#), 400, "VALIDATION_ERROR", "extra"),
                ("operator key", valid.replacingOccurrences(of: "}", with: #","$where":"1"}"#), 400, "VALIDATION_ERROR", "$where"),
                ("prototype key", #"{"name":{"__proto__":{"admin":true}}}"#, 400, "VALIDATION_ERROR", "name.__proto__"),
                ("wrong type", valid.replacingOccurrences(of: #""city":"Pune""#, with: #""city":7"#), 400, "VALIDATION_ERROR", "city"),
                ("missing field", #"{"name":"X","slug":"x-clinic","timezone":"Asia/Kolkata","address":"1 Road"}"#, 400, "VALIDATION_ERROR", "city"),
                ("bad zone", valid.replacingOccurrences(of: "Asia/Kolkata", with: "Mars/Olympus"), 400, "VALIDATION_ERROR", "timezone"),
                ("bad slug", valid.replacingOccurrences(of: "x-clinic", with: "X Clinic!"), 400, "VALIDATION_ERROR", "slug"),
            ]
            for (name, body, status, code, field) in cases {
                let response = try await post("/api/clinics", body)
                #expect(response.status == status, "\(name)")
                #expect(response.apiError?.error.code == code, "\(name)")
                #expect(response.apiError?.requestId == "test-req-1", "\(name)")
                if let field { #expect(response.apiError?.error.details?[field] != nil, "\(name): details \(String(describing: response.apiError?.error.details))") }
            }
            let text = try await post("/api/clinics", valid, contentType: "text/plain")
            #expect(text.status == 415)
            #expect(text.apiError?.error.code == "UNSUPPORTED_MEDIA_TYPE")
            let huge = try await post("/api/clinics", #"{"name":""# + String(repeating: "a", count: 1_100_000) + #""}"#)
            #expect(huge.status == 413)
            #expect(huge.apiError?.error.code == "PAYLOAD_TOO_LARGE")

            let clinics = try await admin.send("GET", "/api/clinics")
            #expect(try clinics.data(as: [AnyClinic].self).count == 3, "nothing was created by the bad requests")
            #expect(try await admin.send("GET", "/api/clinics/not-a-uuid").apiError?.error.details?["id"] != nil)
            #expect(try await admin.send("GET", "/api/clinics?pageSize=101").status == 400)
            #expect(try await admin.send("GET", "/api/clinics?page=0").status == 400)
            #expect(try await admin.send("GET", "/api/appointments?sort=evil").status == 400)
            #expect(try await admin.send("GET", "/api/nowhere").apiError?.error.code == "NOT_FOUND")

            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let reversed = try await patient.send("GET", "/api/doctors/\(doctor.id)/availability?from=2030-01-10&to=2030-01-01")
            #expect(reversed.status == 400)
            let tooLong = try await patient.send("GET", "/api/doctors/\(doctor.id)/availability?from=2030-01-01&to=2030-03-01")
            #expect(tooLong.apiError?.error.details?["to"] != nil)
            let badDate = try await patient.send("GET", "/api/doctors/\(doctor.id)/availability?from=2030-02-30")
            #expect(badDate.status == 400)
        }
    }

    @Test("X-Request-Id: a sane id is echoed, an unsafe one is replaced", arguments: DatabaseKind.available)
    func requestIDs(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let sane = try await client.send("GET", "/health", requestID: "abc-123")
            #expect(sane.header("x-request-id") == "abc-123")
            let unsafe = try await client.send("GET", "/health", requestID: "evil<script>")
            #expect(unsafe.header("x-request-id") != "evil<script>")
            #expect(UUID(uuidString: unsafe.header("x-request-id") ?? "") != nil)
        }
    }
}

struct AnyClinic: Decodable { var id: UUID; var tenantId: String }

@Suite("Tenant isolation")
struct TenantIsolationTests {
    @Test("another tenant's ids answer 404 and lists never include its rows", arguments: DatabaseKind.available)
    func isolation(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            var sunriseClient = client
            sunriseClient.tenant = "sunrise-health"
            let sunrise = try await sunriseClient.authenticated(
                email: FixtureCredentials.secondTenantAdminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let ours = try await admin.send("GET", "/api/clinics").data(as: [AnyClinic].self)
            let theirs = try await sunrise.send("GET", "/api/clinics").data(as: [AnyClinic].self)
            #expect(ours.allSatisfy { $0.tenantId == "default" })
            #expect(theirs.allSatisfy { $0.tenantId == "sunrise-health" })
            #expect(theirs.count == 1)
            let foreign = try #require(ours.first).id
            let answer = try await sunrise.send("GET", "/api/clinics/\(foreign)")
            #expect(answer.status == 404)
            #expect(answer.apiError?.error.message == "clinic not found")
            let patch = try await sunrise.send("PATCH", "/api/clinics/\(foreign)", json: Body(["status": .string("suspended")]))
            #expect(patch.status == 404)
            let doctors = try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self)
            for doctor in doctors {
                #expect(try await sunrise.send("GET", "/api/doctors/\(doctor.id)").status == 404)
            }
            // The default tenant's patient cannot log in to the second tenant.
            let crossLogin = try await sunriseClient.send("POST", "/api/auth/login", json: Body([
                "email": .string(FixtureCredentials.patientEmail), "password": .string(FixtureCredentials.patientPassword), "role": .string("patient"),
            ]))
            #expect(crossLogin.status == 401)
        }
    }
}

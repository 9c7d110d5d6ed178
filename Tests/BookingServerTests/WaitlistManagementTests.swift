import APITransport
import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// A waitlist entry with the audit details these tests check.
struct ManagedEntry: Decodable {
    struct Audit: Decodable {
        var action: String
        var actorId: UUID?
        var notes: String?
    }
    var id: UUID
    var status: String
    var priorityScore: Double
    var audit: [Audit]
}

/// The effective policy answer of `GET|PUT /api/waitlists/policy`.
struct PolicyView: Decodable, Equatable {
    struct Weights: Decodable, Equatable {
        var waitTime: Double
        var membershipLevel: Double
        var chronicCondition: Double
    }
    var clinicId: UUID?
    var source: String
    var maxQueueSize: Int
    var autoExpiryHours: Int
    var priorityWeights: Weights
}

struct Me: Decodable { var id: UUID }

extension APIClient {
    /// Sends `json` text as an `application/json` body.
    func send(_ method: String, _ path: String, rawJSON json: String) async throws -> APIResponse {
        try await send(method, path, rawBody: Data(json.utf8), contentType: "application/json")
    }

    /// Joins `doctor`'s waitlist for the span of the doctor's listed free slots.
    func joinWaitlist(_ doctor: Doctor, clinicID: UUID? = nil) async throws -> APIResponse {
        let slots = try await freeSlots(doctor.id)
        var body: [String: Body.Value] = [
            "doctorId": .string(doctor.id.uuidString),
            "preferredWindow": .object(["start": try #require(slots.first).start, "end": try #require(slots.last).end]),
        ]
        if let clinicID { body["clinicId"] = .string(clinicID.uuidString) }
        return try await send("POST", "/api/waitlists", json: Body(body))
    }

    func entry(_ id: UUID) async throws -> ManagedEntry {
        let entries = try await send("GET", "/api/waitlists?pageSize=100").data(as: [ManagedEntry].self, expecting: 200)
        return try #require(entries.first { $0.id == id })
    }

    func admin() async throws -> APIClient {
        try await authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
    }

    func doctorSession(_ email: String) async throws -> APIClient {
        try await authenticated(email: email, password: FixtureCredentials.doctorPassword, role: "doctor")
    }

    /// The second tenant's admin.
    func sunriseAdmin() async throws -> APIClient {
        var client = self
        client.tenant = "sunrise-health"
        return try await client.authenticated(
            email: FixtureCredentials.secondTenantAdminEmail, password: FixtureCredentials.adminPassword, role: "admin")
    }
}

@Suite("Waitlist management: status, priority, bulk status, policy")
struct WaitlistManagementTests {
    @Test(
        "PATCH status: doctor invites, admin cancels; illegal moves 409; roles, other doctor and other tenant; bad input changes nothing",
        arguments: DatabaseKind.available)
    func status(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let patient = try await client.newPatient()
            let doctorProfile = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let entry = try await patient.joinWaitlist(doctorProfile).data(as: ManagedEntry.self, expecting: 201)
            let path = "/api/waitlists/\(entry.id)/status"
            let doctor = try await client.doctorSession(FixtureCredentials.freeDoctorEmail)
            let admin = try await client.admin()

            #expect(try await client.send("PATCH", path, rawJSON: #"{"status":"invited"}"#).status == 401)
            #expect(try await patient.send("PATCH", path, rawJSON: #"{"status":"invited"}"#).status == 403)
            let otherDoctor = try await client.doctorSession(FixtureCredentials.paidDoctorEmail)
            #expect(try await otherDoctor.send("PATCH", path, rawJSON: #"{"status":"invited"}"#).status == 404)
            let foreign = try await client.sunriseAdmin().send("PATCH", path, rawJSON: #"{"status":"invited"}"#)
            #expect(foreign.status == 404)
            #expect(foreign.apiError?.error.message == "waitlist entry not found")

            let bad: [(String, String)] = [
                (#"{"status":"promoted"}"#, "status"), (#"{"status":"active"}"#, "status"), (#"{"status":"bogus"}"#, "status"),
                (#"{}"#, "status"), (#"{"status":"invited","notes":"  "}"#, "notes"), (#"{"status":"invited","extra":1}"#, "extra"),
            ]
            for (json, field) in bad {
                let response = try await doctor.send("PATCH", path, rawJSON: json)
                #expect(response.status == 400, "\(json)")
                #expect(response.apiError?.error.details?[field] != nil, "\(json): \(String(describing: response.apiError))")
            }
            #expect(
                try await doctor.send("PATCH", "/api/waitlists/not-a-uuid/status", rawJSON: #"{"status":"invited"}"#)
                    .apiError?.error.details?["id"] != nil)
            let untouched = try await admin.entry(entry.id)
            #expect(untouched.status == "active")
            #expect(untouched.audit.map(\.action) == ["joined"])

            let invited = try await doctor.send("PATCH", path, rawJSON: #"{"status":"invited","notes":"slot at 10:00 freed"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            #expect(invited.status == "invited")
            #expect(invited.audit.map(\.action) == ["joined", "invited"])
            #expect(invited.audit.last?.actorId == doctorProfile.id)
            #expect(invited.audit.last?.notes == "slot at 10:00 freed")

            let again = try await doctor.send("PATCH", path, rawJSON: #"{"status":"invited"}"#)
            #expect(again.status == 409)
            #expect(again.apiError?.error.code == "INVALID_TRANSITION")

            let cancelled = try await admin.send("PATCH", path, rawJSON: #"{"status":"cancelled"}"#).data(as: ManagedEntry.self, expecting: 200)
            #expect(cancelled.status == "cancelled")
            #expect(cancelled.audit.map(\.action) == ["joined", "invited", "cancelled"])
            let reclosed = try await admin.send("PATCH", path, rawJSON: #"{"status":"expired"}"#)
            #expect(reclosed.apiError?.error.code == "INVALID_TRANSITION", "cancelled entries are closed")
            #expect(try await patient.entry(entry.id).status == "cancelled", "the patient sees the change")
        }
    }

    @Test("PATCH priority: re-orders the queue with an audit line; 0…100 only; roles and visibility", arguments: DatabaseKind.available)
    func priority(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let first = try await client.newPatient()
            let second = try await client.newPatient()
            let doctorProfile = try await first.doctor(email: FixtureCredentials.freeDoctorEmail)
            let early = try await first.joinWaitlist(doctorProfile).data(as: ManagedEntry.self, expecting: 201)
            let late = try await second.joinWaitlist(doctorProfile).data(as: ManagedEntry.self, expecting: 201)
            let doctor = try await client.doctorSession(FixtureCredentials.freeDoctorEmail)
            let path = "/api/waitlists/\(late.id)/priority"
            #expect(try await doctor.send("GET", "/api/waitlists").data(as: [ManagedEntry].self).map(\.id) == [early.id, late.id])

            #expect(try await client.send("PATCH", path, rawJSON: #"{"priorityScore":90}"#).status == 401)
            #expect(try await second.send("PATCH", path, rawJSON: #"{"priorityScore":90}"#).status == 403)
            #expect(
                try await client.doctorSession(FixtureCredentials.paidDoctorEmail)
                    .send("PATCH", path, rawJSON: #"{"priorityScore":90}"#).status == 404)
            #expect(try await client.sunriseAdmin().send("PATCH", path, rawJSON: #"{"priorityScore":90}"#).status == 404)
            for json in [#"{"priorityScore":101}"#, #"{"priorityScore":-0.5}"#, #"{"priorityScore":"high"}"#, #"{"notes":"x"}"#] {
                let response = try await doctor.send("PATCH", path, rawJSON: json)
                #expect(response.status == 400, "\(json)")
                #expect(response.apiError?.error.details?["priorityScore"] != nil, "\(json)")
            }
            let unchanged = try await doctor.entry(late.id)
            #expect(unchanged.priorityScore == late.priorityScore)
            #expect(unchanged.audit.map(\.action) == ["joined"])

            let raised = try await doctor.send("PATCH", path, rawJSON: #"{"priorityScore":87.5,"notes":"urgent referral"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            #expect(raised.priorityScore == 87.5)
            #expect(raised.audit.map(\.action) == ["joined", "priority-changed"])
            #expect(raised.audit.last?.notes == "urgent referral")
            #expect(raised.audit.last?.actorId == doctorProfile.id)
            #expect(try await doctor.send("GET", "/api/waitlists").data(as: [ManagedEntry].self).map(\.id) == [late.id, early.id])

            let admin = try await client.admin()
            _ = try await admin.send("PATCH", "/api/waitlists/\(early.id)/status", rawJSON: #"{"status":"cancelled"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            let closed = try await admin.send("PATCH", "/api/waitlists/\(early.id)/priority", rawJSON: #"{"priorityScore":10}"#)
            #expect(closed.status == 409, "closed entries keep their score")
        }
    }

    @Test("POST bulk/status: all or nothing; 404 and 409 name the entry; roles, tenants and bad input", arguments: DatabaseKind.available)
    func bulk(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            var entries: [ManagedEntry] = []
            var doctorProfile: Doctor?
            for _ in 0..<3 {
                let patient = try await client.newPatient()
                let profile = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
                doctorProfile = profile
                entries.append(try await patient.joinWaitlist(profile).data(as: ManagedEntry.self, expecting: 201))
            }
            let doctorID = try #require(doctorProfile).id
            let ids = entries.map(\.id)
            let admin = try await client.admin()
            let doctor = try await client.doctorSession(FixtureCredentials.freeDoctorEmail)
            _ = try await admin.send("PATCH", "/api/waitlists/\(ids[2])/status", rawJSON: #"{"status":"invited"}"#)
                .data(as: ManagedEntry.self, expecting: 200)
            func body(_ ids: [UUID], _ status: String = "expired") -> String {
                let list = ids.map { "\"\($0.uuidString.lowercased())\"" }.joined(separator: ",")
                return #"{"entryIds":[\#(list)],"status":"\#(status)"}"#
            }
            func states() async throws -> [String] {
                var states: [String] = []
                for id in ids { states.append(try await admin.entry(id).status) }
                return states
            }

            #expect(try await client.send("POST", "/api/waitlists/bulk/status", rawJSON: body(ids)).status == 401)
            #expect(try await client.newPatient().send("POST", "/api/waitlists/bulk/status", rawJSON: body(ids)).status == 403)
            let missing = UUID()
            let notFound = try await admin.send("POST", "/api/waitlists/bulk/status", rawJSON: body([ids[0], missing], "cancelled"))
            #expect(notFound.status == 404)
            #expect(notFound.apiError?.error.details?["entryId"] == missing.uuidString.lowercased())
            #expect(notFound.apiError?.error.message.contains("nothing was changed") == true)
            #expect(try await client.sunriseAdmin().send("POST", "/api/waitlists/bulk/status", rawJSON: body([ids[0]])).status == 404)
            #expect(
                try await client.doctorSession(FixtureCredentials.paidDoctorEmail)
                    .send("POST", "/api/waitlists/bulk/status", rawJSON: body([ids[0]])).status == 404)
            let illegal = try await doctor.send("POST", "/api/waitlists/bulk/status", rawJSON: body(ids, "invited"))
            #expect(illegal.status == 409)
            #expect(illegal.apiError?.error.code == "INVALID_TRANSITION")
            #expect(illegal.apiError?.error.details?["entryId"] == ids[2].uuidString.lowercased())

            let tooMany = (0...100).map { _ in UUID() }
            let bad: [(String, String)] = [
                (body([ids[0], ids[0]]), "entryIds"), (body([]), "entryIds"), (body(tooMany), "entryIds"),
                (body([ids[0]], "promoted"), "status"), (#"{"entryIds":["nope"],"status":"expired"}"#, "entryIds[0]"),
                (#"{"status":"expired"}"#, "entryIds"), (#"{"entryIds":"\#(ids[0])","status":"expired"}"#, "entryIds"),
            ]
            for (json, field) in bad {
                let response = try await doctor.send("POST", "/api/waitlists/bulk/status", rawJSON: json)
                #expect(response.status == 400, "\(json)")
                #expect(response.apiError?.error.details?[field] != nil, "\(json): \(String(describing: response.apiError))")
            }
            #expect(try await states() == ["active", "active", "invited"], "failed bulk requests changed nothing")

            let updated = try await doctor.send(
                "POST", "/api/waitlists/bulk/status",
                rawJSON: #"{"entryIds":["\#(ids[0])","\#(ids[2])"],"status":"expired","notes":"clinic closed"}"#
            ).data(as: [ManagedEntry].self, expecting: 200)
            #expect(updated.map(\.id) == [ids[0], ids[2]])
            #expect(updated.allSatisfy { $0.status == "expired" && $0.audit.last?.action == "expired" })
            #expect(updated.allSatisfy { $0.audit.last?.actorId == doctorID && $0.audit.last?.notes == "clinic closed" })
            #expect(try await states() == ["expired", "active", "expired"])
            let patched = try await admin.send("PATCH", "/api/waitlists/bulk/status", rawJSON: body([ids[1]]))
            #expect(!(200..<300).contains(patched.status), "PATCH on the bulk path is not a per-entry route")
            #expect(try await states() == ["expired", "active", "expired"])
        }
    }

    @Test("GET/PUT policy: clinic over tenant over default; admins only; validation; unknown and foreign clinics", arguments: DatabaseKind.available)
    func policy(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.admin()
            let patient = try await client.newPatient()
            let clinics = try await admin.send("GET", "/api/clinics").data(as: [AnyClinic].self)
            let clinic = clinics[0].id
            let other = clinics[1].id
            let standard = PolicyView(
                clinicId: nil, source: "default", maxQueueSize: 100, autoExpiryHours: 72,
                priorityWeights: .init(waitTime: 0.5, membershipLevel: 0.2, chronicCondition: 0.3))
            #expect(try await patient.send("GET", "/api/waitlists/policy").data(as: PolicyView.self, expecting: 200) == standard)
            #expect(try await client.send("GET", "/api/waitlists/policy").status == 401)

            let valid = #"{"maxQueueSize":2,"autoExpiryHours":24,"priorityWeights":{"waitTime":0.2,"membershipLevel":0.3,"chronicCondition":0.5}}"#
            #expect(try await client.send("PUT", "/api/waitlists/policy", rawJSON: valid).status == 401)
            #expect(try await patient.send("PUT", "/api/waitlists/policy", rawJSON: valid).status == 403)
            #expect(try await client.doctorSession(FixtureCredentials.freeDoctorEmail).send("PUT", "/api/waitlists/policy", rawJSON: valid).status == 403)
            let bad: [(String, String, String)] = [
                ("", valid.replacingOccurrences(of: "0.5}", with: "0.4}"), "priorityWeights"),
                ("", valid.replacingOccurrences(of: #""waitTime":0.2"#, with: #""waitTime":-0.2"#), "priorityWeights.waitTime"),
                ("", valid.replacingOccurrences(of: #""maxQueueSize":2"#, with: #""maxQueueSize":0"#), "maxQueueSize"),
                ("", valid.replacingOccurrences(of: #""autoExpiryHours":24"#, with: #""autoExpiryHours":1.5"#), "autoExpiryHours"),
                ("", #"{"maxQueueSize":2,"autoExpiryHours":24}"#, "priorityWeights"),
                ("", valid.replacingOccurrences(of: "}}", with: #"},"extra":true}"#), "extra"),
                ("?clinicId=nope", valid, "clinicId"),
            ]
            for (query, json, field) in bad {
                let response = try await admin.send("PUT", "/api/waitlists/policy\(query)", rawJSON: json)
                #expect(response.status == 400, "\(json)")
                #expect(response.apiError?.error.details?[field] != nil, "\(json): \(String(describing: response.apiError))")
            }
            #expect(try await admin.send("GET", "/api/waitlists/policy").data(as: PolicyView.self) == standard, "nothing was stored")
            #expect(try await admin.send("PUT", "/api/waitlists/policy?clinicId=\(UUID())", rawJSON: valid).status == 404)
            #expect(try await admin.send("GET", "/api/waitlists/policy?clinicId=\(UUID())").status == 404)
            let sunrise = try await client.sunriseAdmin()
            #expect(try await sunrise.send("PUT", "/api/waitlists/policy?clinicId=\(clinic)", rawJSON: valid).status == 404)
            #expect(try await sunrise.send("GET", "/api/waitlists/policy?clinicId=\(clinic)").status == 404)

            let tenantWide = #"{"maxQueueSize":50,"autoExpiryHours":48,"priorityWeights":{"waitTime":1,"membershipLevel":0,"chronicCondition":0}}"#
            let stored = try await admin.send("PUT", "/api/waitlists/policy", rawJSON: tenantWide).data(as: PolicyView.self, expecting: 200)
            #expect(
                stored
                    == PolicyView(
                        clinicId: nil, source: "tenant", maxQueueSize: 50, autoExpiryHours: 48,
                        priorityWeights: .init(waitTime: 1, membershipLevel: 0, chronicCondition: 0)))
            let inherited = try await patient.send("GET", "/api/waitlists/policy?clinicId=\(clinic)").data(as: PolicyView.self)
            #expect(inherited.source == "tenant")
            #expect(inherited.clinicId == clinic)
            #expect(inherited.maxQueueSize == 50)

            let own = try await admin.send("PUT", "/api/waitlists/policy?clinicId=\(clinic)", rawJSON: valid).data(as: PolicyView.self)
            #expect(own.source == "clinic")
            let replaced = try await admin.send(
                "PUT", "/api/waitlists/policy?clinicId=\(clinic)", rawJSON: valid.replacingOccurrences(of: #""maxQueueSize":2"#, with: #""maxQueueSize":3"#)
            )
            .data(as: PolicyView.self, expecting: 200)
            #expect(replaced.maxQueueSize == 3)
            let read = try await patient.send("GET", "/api/waitlists/policy?clinicId=\(clinic)").data(as: PolicyView.self)
            #expect(
                read
                    == PolicyView(
                        clinicId: clinic, source: "clinic", maxQueueSize: 3, autoExpiryHours: 24,
                        priorityWeights: .init(waitTime: 0.2, membershipLevel: 0.3, chronicCondition: 0.5)))
            #expect(try await patient.send("GET", "/api/waitlists/policy?clinicId=\(other)").data(as: PolicyView.self).source == "tenant")
            #expect(try await sunrise.send("GET", "/api/waitlists/policy").data(as: PolicyView.self) == standard, "tenants do not share policies")
        }
    }

    @Test("a clinic's 1-hour expiry applies to its queue only: a 2-hour-old entry without a clinic stays under the 72-hour default")
    func clinicExpiryOnlyAtItsClinic() async throws {
        try await withSeededServer(.sqlite) { server, client in
            let admin = try await client.admin()
            let patient = try await client.newPatient()
            let doctor = try await patient.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slots = try await patient.freeSlots(doctor.id)
            let clinic = try #require(slots.first).clinicId
            _ = try await admin.send(
                "PUT", "/api/waitlists/policy?clinicId=\(clinic)",
                rawJSON:
                    #"{"maxQueueSize":10,"autoExpiryHours":1,"priorityWeights":{"waitTime":0.5,"membershipLevel":0.2,"chronicCondition":0.3}}"#
            ).data(as: PolicyView.self, expecting: 200)
            let twoHoursAgo = Date().addingTimeInterval(-2 * 3600)
            let lastEnd = try #require(slots.last).end
            let windowEnd = try #require(JSONCoding.parseInstant(lastEnd))
            func join(_ joiner: APIClient, clinicID: UUID?) async throws -> BookingCore.WaitlistEntry {
                let me = try await joiner.send("GET", "/api/patients/me").data(as: Me.self)
                return try await server.services.waitlists.join(
                    Identity(userID: me.id, role: .patient, tenantID: .default),
                    .init(doctorID: doctor.id, clinicID: clinicID, windowStart: twoHoursAgo, windowEnd: windowEnd, reason: nil),
                    now: twoHoursAgo)
            }
            let atClinic = try await join(patient, clinicID: clinic)
            let anywhere = try await join(try await client.newPatient(), clinicID: nil)
            #expect(try await admin.entry(atClinic.id).status == "expired")
            #expect(try await admin.entry(anywhere.id).status == "active")
        }
    }

    @Test("a cancellation invites the top entry that has not expired, never a stale one", arguments: DatabaseKind.available)
    func cancellationSkipsStaleEntries(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { server, client in
            let admin = try await client.admin()
            let booker = try await client.newPatient()
            let doctor = try await booker.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slots = try await booker.freeSlots(doctor.id)
            let slot = try #require(slots.first)
            _ = try await admin.send(
                "PUT", "/api/waitlists/policy?clinicId=\(slot.clinicId)",
                rawJSON:
                    #"{"maxQueueSize":10,"autoExpiryHours":1,"priorityWeights":{"waitTime":0.5,"membershipLevel":0.2,"chronicCondition":0.3}}"#
            ).data(as: PolicyView.self, expecting: 200)
            let lastEnd = try #require(slots.last).end
            let windowEnd = try #require(JSONCoding.parseInstant(lastEnd))
            func join(_ joiner: APIClient, at joined: Date) async throws -> BookingCore.WaitlistEntry {
                let me = try await joiner.send("GET", "/api/patients/me").data(as: Me.self)
                return try await server.services.waitlists.join(
                    Identity(userID: me.id, role: .patient, tenantID: .default),
                    .init(doctorID: doctor.id, clinicID: slot.clinicId, windowStart: joined, windowEnd: windowEnd, reason: nil),
                    now: joined)
            }
            // The fresh entry first: joining expires stale entries, and the stale one is joined "two hours ago" after it,
            // so it is still open, and first in the queue (oldest), when the slot is freed.
            let fresh = try await join(try await client.newPatient(), at: Date())
            let stale = try await join(try await client.newPatient(), at: Date().addingTimeInterval(-2 * 3600))
            let appointment = try await booker.bookSlot(doctor, slot)
            _ = try await booker.send("DELETE", "/api/appointments/\(appointment.id)").data(as: Appointment.self, expecting: 200)
            #expect(try await admin.entry(fresh.id).status == "invited")
            #expect(try await admin.entry(stale.id).status == "expired")
        }
    }

    @Test("a stored clinic policy's maxQueueSize is enforced on join", arguments: DatabaseKind.available)
    func storedQueueLimit(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { _, client in
            let admin = try await client.admin()
            let first = try await client.newPatient()
            let doctor = try await first.doctor(email: FixtureCredentials.freeDoctorEmail)
            let clinic = try #require(try await first.freeSlots(doctor.id).first).clinicId
            _ = try await admin.send(
                "PUT", "/api/waitlists/policy?clinicId=\(clinic)",
                rawJSON:
                    #"{"maxQueueSize":2,"autoExpiryHours":72,"priorityWeights":{"waitTime":0.5,"membershipLevel":0.2,"chronicCondition":0.3}}"#
            ).data(as: PolicyView.self, expecting: 200)
            #expect(try await first.joinWaitlist(doctor, clinicID: clinic).status == 201)
            #expect(try await client.newPatient().joinWaitlist(doctor, clinicID: clinic).status == 201)
            let full = try await client.newPatient().joinWaitlist(doctor, clinicID: clinic)
            #expect(full.status == 409)
            #expect(full.apiError?.error.code == "WAITLIST_FULL")
        }
    }

    @Test("open entries older than a stored policy's autoExpiryHours become expired", arguments: DatabaseKind.available)
    func storedExpiry(_ database: DatabaseKind) async throws {
        try await withSeededServer(database) { server, client in
            let admin = try await client.admin()
            _ = try await admin.send(
                "PUT", "/api/waitlists/policy",
                rawJSON:
                    #"{"maxQueueSize":10,"autoExpiryHours":1,"priorityWeights":{"waitTime":0.5,"membershipLevel":0.2,"chronicCondition":0.3}}"#
            ).data(as: PolicyView.self, expecting: 200)
            let old = try await client.newPatient()
            let doctor = try await old.doctor(email: FixtureCredentials.freeDoctorEmail)
            let slots = try await old.freeSlots(doctor.id)
            let me = try await old.send("GET", "/api/patients/me").data(as: Me.self)
            let twoHoursAgo = Date().addingTimeInterval(-2 * 3600)
            let lastEnd = try #require(slots.last).end
            let windowEnd = try #require(JSONCoding.parseInstant(lastEnd))
            let stale = try await server.services.waitlists.join(
                Identity(userID: me.id, role: .patient, tenantID: .default),
                .init(
                    doctorID: doctor.id, clinicID: nil, windowStart: twoHoursAgo,
                    windowEnd: windowEnd, reason: nil),
                now: twoHoursAgo)
            let fresh = try await client.newPatient().joinWaitlist(doctor).data(as: ManagedEntry.self, expecting: 201)

            let expired = try await admin.entry(stale.id)
            #expect(expired.status == "expired")
            #expect(expired.audit.map(\.action) == ["joined", "expired"])
            #expect(expired.audit.last?.actorId == nil)
            #expect(try await admin.entry(fresh.id).status == "active")
            let reopen = try await admin.send("PATCH", "/api/waitlists/\(stale.id)/status", rawJSON: #"{"status":"invited"}"#)
            #expect(reopen.apiError?.error.code == "INVALID_TRANSITION")
        }
    }
}

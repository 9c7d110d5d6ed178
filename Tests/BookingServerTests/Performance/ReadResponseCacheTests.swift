import BookingCore
import Foundation
import IllajwalaTesting
import NIOCore
import Synchronization
import Testing

@testable import BookingServer

/// The read cache (``ReadResponseCache``): unchanged reads are served from memory, and a change made through this
/// instance shows on the very next read — never after the time to live.
@Suite("Read cache: reuse while unchanged, every write seen at once, answers never shared across roles or callers")
struct ReadResponseCacheTests {
    /// A time to live far longer than any test, so only invalidation can explain a fresh answer.
    static let longLived = ["READ_CACHE_TTL_MS": "60000"]

    struct Slot: Decodable {
        var start: Date
    }

    struct Booking: Encodable, Sendable {
        var doctorId: UUID
        var clinicId: UUID
        var scheduledAt: Date
        var mode: String
    }

    @Test("a booking leaves the next availability read and enters the patient's list at once", arguments: DatabaseKind.available)
    func bookingInvalidates(_ kind: DatabaseKind) async throws {
        try await LiveServer.withServer(database: kind, environment: Self.longLived) { server in
            let builders = server.testDatabase.builders
            let clinic = try await builders.clinic()
            let doctor = try await builders.doctor(clinic: clinic)
            let patient = try await builders.patient()
            let api = try await APIClient(baseURL: server.baseURL).login(email: patient.email, password: patient.password, role: .patient)
            let path = "/api/doctors/\(doctor.id)/availability"
            let before = try await api.send("GET", path).data(as: [Slot].self, expecting: 200)
            let again = try await api.send("GET", path).data(as: [Slot].self, expecting: 200)
            #expect(before.map(\.start) == again.map(\.start))
            let listBefore = try await api.send("GET", "/api/appointments").data(as: [BookingCore.Appointment].self, expecting: 200)
            #expect(listBefore.isEmpty)
            let hitsBefore = try Self.hits(server)

            let first = try #require(before.first)
            _ = try await api.send(
                "POST", "/api/appointments",
                json: Booking(doctorId: doctor.id, clinicId: clinic.id, scheduledAt: first.start, mode: "in-person")
            ).data(as: BookingCore.Appointment.self, expecting: 201)

            let after = try await api.send("GET", path).data(as: [Slot].self, expecting: 200)
            #expect(!after.map(\.start).contains(first.start), "the booked slot is gone from the next read")
            #expect(after.count == before.count - 1)
            let listAfter = try await api.send("GET", "/api/appointments").data(as: [BookingCore.Appointment].self, expecting: 200)
            #expect(listAfter.count == 1)
            #expect(try Self.hits(server) == hitsBefore, "both reads after the booking were computed afresh")
            _ = try await api.send("GET", path).data(as: [Slot].self, expecting: 200)
            #expect(try Self.hits(server) == hitsBefore + 1, "and the one after them was served from the cache")
        }
    }

    @Test("a doctor taken out of review leaves the patients' directory at once; admins' and patients' answers differ")
    func reviewInvalidatesAndRolesDoNotShare() async throws {
        try await LiveServer.withServer(environment: Self.longLived) { server in
            let builders = server.testDatabase.builders
            let doctor = try await builders.doctor()
            let admin = try await builders.admin()
            let patient = try await builders.patient()
            let client = APIClient(baseURL: server.baseURL)
            let adminAPI = try await client.login(email: admin.email, password: admin.password, role: .admin)
            let patientAPI = try await client.login(email: patient.email, password: patient.password, role: .patient)
            struct Listed: Decodable {
                var id: UUID
                var reviewStatus: String
            }
            #expect(try await patientAPI.send("GET", "/api/doctors").data(as: [Listed].self, expecting: 200).map(\.id) == [doctor.id])
            #expect(try await patientAPI.send("GET", "/api/doctors/\(doctor.id)").status == 200)

            struct Review: Encodable, Sendable {
                var reviewStatus: String
            }
            _ = try await adminAPI.send("PUT", "/api/admin/doctors/\(doctor.id)/review", json: Review(reviewStatus: "needs-info"))
                .data(as: Listed.self, expecting: 200)

            #expect(try await patientAPI.send("GET", "/api/doctors").data(as: [Listed].self, expecting: 200).isEmpty)
            #expect(try await patientAPI.send("GET", "/api/doctors/\(doctor.id)").status == 404)
            let seenByAdmin = try await adminAPI.send("GET", "/api/doctors").data(as: [Listed].self, expecting: 200)
            #expect(seenByAdmin.map(\.reviewStatus) == ["needs-info"], "the same URL answers an admin with what admins see")
        }
    }

    @Test("two patients' appointment lists are never shared, though the URL is the same")
    func personalListsStayPersonal() async throws {
        try await LiveServer.withServer(environment: Self.longLived) { server in
            let builders = server.testDatabase.builders
            let doctor = try await builders.doctor()
            let owner = try await builders.patient()
            let other = try await builders.patient()
            _ = try await builders.appointment(patient: owner, doctor: doctor)
            let client = APIClient(baseURL: server.baseURL)
            let ownerAPI = try await client.login(email: owner.email, password: owner.password, role: .patient)
            let otherAPI = try await client.login(email: other.email, password: other.password, role: .patient)
            #expect(try await ownerAPI.send("GET", "/api/appointments").data(as: [BookingCore.Appointment].self, expecting: 200).count == 1)
            #expect(try await otherAPI.send("GET", "/api/appointments").data(as: [BookingCore.Appointment].self, expecting: 200).isEmpty)
            #expect(try await ownerAPI.send("GET", "/api/appointments").data(as: [BookingCore.Appointment].self, expecting: 200).count == 1)
        }
    }

    @Test("a statement that writes advances the data version once its lease ends; reads and untracked writes do not", arguments: DatabaseKind.available)
    func writesAdvanceTheVersion(_ kind: DatabaseKind) async throws {
        let testDatabase = try await TestDatabase.make(kind)
        do {
            let database = testDatabase.services.database
            let start = database.changes.current
            _ = try await database.withConnection { sql in try await sql.raw("SELECT COUNT(*) AS n FROM clinics").all() }
            #expect(database.changes.current == start, "a read is not a change")
            try await database.withConnection(tracksChanges: false) { sql in
                try await sql.raw("DELETE FROM rate_limit_windows WHERE bucket_key = 'none'").run()
            }
            #expect(database.changes.current == start, "an untracked write is not a change")
            try await database.withConnection { sql in
                try await sql.raw("UPDATE clinics SET name = name WHERE id IS NULL").run()
            }
            #expect(database.changes.current == start + 1, "a write through any lease is, even one that touched no row")
            _ = try? await database.transaction { sql in
                try await sql.raw("INSERT INTO tenants (id, name, created_at) VALUES ('cache-test', 'x', 0)").run()
                throw CancellationError()
            }
            #expect(database.changes.current == start + 2, "a rolled-back write costs a miss, never a stale answer")
        } catch {
            await testDatabase.drop()
            throw error
        }
        await testDatabase.drop()
    }

    @Test(
        "statements classified by their verb: only SELECT and transaction markers are reads",
        arguments: [
            ("SELECT 1", false), ("  select * from x", false), ("(SELECT 1) UNION (SELECT 2)", false), ("BEGIN IMMEDIATE", false),
            ("COMMIT", false), ("ROLLBACK", false), ("INSERT INTO x VALUES (1)", true), ("update x set a = 1", true),
            ("DELETE FROM x", true), ("WITH t AS (SELECT 1) INSERT INTO x SELECT * FROM t", true), ("PRAGMA foreign_keys = ON", true),
            ("", true),
        ])
    func classification(_ sql: String, _ writes: Bool) {
        #expect(LeaseWrites.mayWrite(sql) == writes, "\(sql)")
    }

    // MARK: The cache alone

    /// Counts computations so a test can tell a hit from a miss.
    final class Computations: Sendable {
        private let count = Mutex(0)
        func body(_ text: String) -> ReadResponseCache.Answer {
            count.withLock { $0 += 1 }
            return .init(ByteBuffer(string: text))
        }
        var value: Int { count.withLock { $0 } }
    }

    @Test("an answer is reused while fresh and unchanged, recomputed after its time to live or a change")
    func freshness() async throws {
        let changes = DataVersion()
        let cache = ReadResponseCache(timeToLive: .milliseconds(200), maximumBytes: 1 << 20, changes: changes)
        let computations = Computations()
        #expect(String(buffer: try await cache.body(for: "k") { computations.body("a") }) == "a")
        #expect(String(buffer: try await cache.body(for: "k") { computations.body("b") }) == "a")
        #expect(computations.value == 1)
        changes.advance()
        #expect(String(buffer: try await cache.body(for: "k") { computations.body("c") }) == "c")
        try await Task.sleep(for: .milliseconds(300))
        #expect(String(buffer: try await cache.body(for: "k") { computations.body("d") }) == "d")
        #expect(computations.value == 3)
    }

    @Test("a write during the computation leaves the stored answer stale, not current")
    func writeDuringComputation() async throws {
        let changes = DataVersion()
        let cache = ReadResponseCache(timeToLive: .seconds(60), maximumBytes: 1 << 20, changes: changes)
        _ = try await cache.body(for: "k") {
            changes.advance()
            return .init(ByteBuffer(string: "read before the write committed"))
        }
        #expect(String(buffer: try await cache.body(for: "k") { .init(ByteBuffer(string: "fresh")) }) == "fresh")
    }

    @Test("off at a zero time to live; failures, over-long keys and oversized bodies are never stored; memory stays in budget")
    func limits() async throws {
        let changes = DataVersion()
        let off = ReadResponseCache(timeToLive: .zero, maximumBytes: 1 << 20, changes: changes)
        let computations = Computations()
        _ = try await off.body(for: "k") { computations.body("a") }
        _ = try await off.body(for: "k") { computations.body("a") }
        #expect(computations.value == 2)
        #expect(off.count == 0)

        // 1 600 bytes: an answer may take at most 100 (a sixteenth), key included.
        let cache = ReadResponseCache(timeToLive: .seconds(60), maximumBytes: 1_600, changes: changes)
        await #expect(throws: BookingError.self) {
            try await cache.body(for: "k") { throw BookingError.notFound(resource: "doctor") }
        }
        #expect(cache.count == 0)
        let long = String(repeating: "x", count: ReadResponseCache.maximumKeyBytes + 1)
        _ = try await cache.body(for: long) { .init(ByteBuffer(string: "a")) }
        #expect(cache.count == 0)
        _ = try await cache.body(for: "big") { .init(ByteBuffer(string: String(repeating: "b", count: 120))) }
        #expect(cache.count == 0, "an answer over a sixteenth of the budget is not kept")
        for index in 0..<100 {
            _ = try await cache.body(for: "k\(index)") { .init(ByteBuffer(string: String(repeating: "v", count: 90))) }
            #expect(cache.bytes <= 1_600)
        }
        #expect(cache.count > 0)
        #expect(String(buffer: try await cache.body(for: "k99") { .init(ByteBuffer(string: "recomputed")) }).count == 90, "the newest answer survives")
    }

    @Test("an answer is not served past its own validity (availability: the start of its first slot)")
    func validUntil() async throws {
        let cache = ReadResponseCache(timeToLive: .seconds(60), maximumBytes: 1 << 20, changes: DataVersion())
        let computations = Computations()
        let soon = Date().addingTimeInterval(0.2)
        _ = try await cache.body(for: "k") { .init(computations.body("a").body, validUntil: soon) }
        _ = try await cache.body(for: "k") { computations.body("b") }
        #expect(computations.value == 1)
        try await Task.sleep(for: .milliseconds(300))
        _ = try await cache.body(for: "k") { computations.body("c") }
        #expect(computations.value == 2)
        _ = try await cache.body(for: "past") { .init(computations.body("d").body, validUntil: Date().addingTimeInterval(-1)) }
        _ = try await cache.body(for: "past") { computations.body("e") }
        #expect(computations.value == 4, "an answer already stale is not kept")
    }

    @Test("parameters the API ignores do not multiply entries; each parameter it reads does")
    func keysFromParsedParameters() async throws {
        try await LiveServer.withServer(environment: Self.longLived) { server in
            let patient = try await server.testDatabase.builders.patient()
            let api = try await APIClient(baseURL: server.baseURL).login(email: patient.email, password: patient.password, role: .patient)
            let cache = server.services.readCache
            let before = cache.count
            for junk in 0..<20 { #expect(try await api.send("GET", "/api/doctors?junk=\(junk)").status == 200) }
            #expect(cache.count == before + 1)
            #expect(try await api.send("GET", "/api/doctors?city=Pune").status == 200)
            #expect(try await api.send("GET", "/api/doctors?page=2").status == 200)
            #expect(cache.count == before + 3)
        }
    }

    @Test("READ_CACHE_TTL_MS and READ_CACHE_MAX_MB: defaults, bounds, a clear error")
    func configuration() throws {
        let defaults = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"])
        #expect(defaults.readCache.timeToLive == .seconds(1))
        #expect(defaults.readCache.maximumBytes == 64 << 20)
        let off = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "READ_CACHE_TTL_MS": "0"])
        #expect(off.readCache.timeToLive == .zero)
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "READ_CACHE_TTL_MS": "60001"])
        }
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test", "READ_CACHE_MAX_MB": "0"])
        }
    }

    static func hits(_ server: LiveServer) throws -> Double {
        let text = server.services.metrics.exposition()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(#"read_cache_lookups_total{result="hit"}"#) })
        return try #require(Double(line.split(separator: " ").last!))
    }
}

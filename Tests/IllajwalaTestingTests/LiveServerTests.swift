import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("LiveServer and APIClient")
struct LiveServerTests {
    @Test("a live server answers on loopback, and stopping it closes the port and drops its database", arguments: DatabaseKind.available)
    func lifecycle(_ database: DatabaseKind) async throws {
        let server = try await LiveServer.start(database: database, scenario: .standard)
        #expect(server.baseURL.host == "127.0.0.1")
        let client = APIClient(baseURL: server.baseURL)
        #expect(try await client.send("GET", "/health/ready").status == 200)
        await server.stop()
        await #expect(throws: APITransportError.self) { try await client.send("GET", "/health/live") }
        if database == .postgres {
            let left = try await SharedPostgresServer.shared.remainingTestDatabases()
            #expect(!left.contains { server.services.database.url.description.hasSuffix("/\($0)") }, "its database was dropped")
        }
    }

    @Test("the client decodes the success envelope into values and the error envelope into a typed error")
    func envelopes() async throws {
        let server = try await LiveServer.start(scenario: .standard)
        let client = APIClient(baseURL: server.baseURL)
        let admin = try await client.authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
        struct Clinic: Decodable { var slug: String }
        #expect(try await admin.send("GET", "/api/clinics").data(as: [Clinic].self).count == 3)
        do {
            _ = try await admin.send("GET", "/api/clinics/not-a-uuid", requestID: "client-test-1").data(as: Clinic.self)
            Issue.record("an error status must throw")
        } catch let error as APIErrorResponse {
            #expect(error.status == 400)
            #expect(error.error.code == "VALIDATION_ERROR")
            #expect(error.error.details?["id"] != nil)
            #expect(error.requestId == "client-test-1")
        }
        await #expect(throws: APIErrorResponse.self) {
            try await client.authenticated(email: FixtureCredentials.adminEmail, password: "Wrong-password-1", role: "admin")
        }
        await server.stop()
    }

    @Test("bad fixtures stop start-up with file: field: problem")
    func badFixtures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fixtures-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: PackagePaths.fixtures, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let doctors = folder.appendingPathComponent("doctors.json")
        let text = try String(contentsOf: doctors, encoding: .utf8).replacingOccurrences(of: "\"fee\": 150000", with: "\"fee\": -5")
        try text.write(to: doctors, atomically: true, encoding: .utf8)
        do {
            let server = try await LiveServer.start(scenario: .fixtures(at: folder))
            await server.stop()
            Issue.record("a negative fee must be refused")
        } catch {
            #expect(String(describing: error) == "doctors.json: doctors[0].fee: must be an integer number of paise from 0 to 10000000")
        }
        for (text, problem) in [("{\"clinics\": [", "clinics.json: is not a JSON object"), ("", "clinics.json: is empty (expected a JSON object)")] {
            try text.write(to: folder.appendingPathComponent("clinics.json"), atomically: true, encoding: .utf8)
            #expect(throws: FixtureError.self) { try FixtureSet.load(from: folder) }
            do { _ = try FixtureSet.load(from: folder) } catch { #expect(String(describing: error).hasPrefix(problem), "\(error)") }
        }
    }
}

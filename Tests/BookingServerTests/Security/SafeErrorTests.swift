import BookingServer
import Foundation
import IllajwalaTesting
import Logging
import Testing

@Suite("Safe errors: a 5xx tells the client nothing internal and is logged once with its request id")
struct SafeErrorTests {
    @Test(
        "a broken schema answers 500 INTERNAL_ERROR without SQL, table names or paths; one error log line carries the request id",
        arguments: DatabaseKind.available)
    func internalError(_ kind: DatabaseKind) async throws {
        let database = try await TestDatabase.make(kind, scenario: .standard)
        let capture = LogCapture()
        let server = try await LiveServer.start(on: database, logger: capture.logger(level: .info))
        func check() async throws {
            let admin = try await APIClient(baseURL: server.baseURL).authenticated(
                email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
            try await database.database.withConnection { sql in try await sql.raw("ALTER TABLE clinics RENAME TO clinics_gone").run() }
            let response = try await admin.send("GET", "/api/clinics", requestID: "safe-error-probe-1")
            #expect(response.status == 500)
            #expect(response.apiError?.error.code == "INTERNAL_ERROR")
            #expect(response.apiError?.requestId == "safe-error-probe-1")
            for leak in ["clinics", "SELECT", "sqlite", "SQLite", "relation", "PSQL", "/work", ".swift", "Error("] {
                #expect(!response.text.contains(leak), "the 500 body leaks '\(leak)': \(response.text)")
            }
            let errors = capture.records.filter { $0.level >= .error }
            #expect(errors.count == 1, "\(capture.text)")
            #expect(errors.first?.metadata["request_id"] == "safe-error-probe-1")
        }
        var failure: (any Error)?
        do { try await check() } catch { failure = error }
        await server.stop()
        await database.drop()
        if let failure { throw failure }
    }

    @Test("production refuses LOG_LEVEL=trace, which would log SQL with its values")
    func traceRefusedInProduction() {
        #expect {
            try ServerConfiguration(environment: ["ILLAJWALA_ENV": "production", "LOG_LEVEL": "trace"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "LOG_LEVEL"
        }
    }
}

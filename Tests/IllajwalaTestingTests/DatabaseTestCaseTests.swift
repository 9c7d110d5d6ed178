import BookingCore
import IllajwalaXCTest
import XCTest

/// The XCTest base class on SQLite with the standard scenario.
final class DatabaseTestCaseSQLiteTests: DatabaseTestCase, @unchecked Sendable {
    override class var scenario: DatabaseScenario { .standard }

    func testEachTestHasASeededDatabase() async throws {
        XCTAssertEqual(testDatabase.kind, .sqlite)
        let exists = try await testDatabase.exists()
        XCTAssertTrue(exists)
        let (doctors, _) = try await services.doctors.list(tenant: .default, role: .admin, search: .init(), page: 1, pageSize: 50)
        XCTAssertFalse(doctors.isEmpty)
    }

    func testBuildersAndALiveServerOnTheSameDatabase() async throws {
        let doctor = try await builders.doctor()
        let patient = try await builders.patient()
        let client = try await apiClient().login(email: patient.email, password: patient.password, role: .patient)
        let response = try await client.send("GET", "/api/doctors/\(doctor.id)")
        XCTAssertEqual(response.status, 200)
    }
}

/// The XCTest base class on PostgreSQL (skipped with the reason where PostgreSQL is unavailable).
final class DatabaseTestCasePostgresTests: DatabaseTestCase, @unchecked Sendable {
    override class var databaseKind: DatabaseKind { .postgres }

    func testEmptyPostgresDatabase() async throws {
        XCTAssertEqual(testDatabase.kind, .postgres)
        let patient = try await builders.patient()
        let profile = try await services.accounts.patientProfile(patient.identity)
        XCTAssertEqual(profile.account.email, patient.email)
    }
}

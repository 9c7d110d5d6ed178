import BookingServer
@_exported import IllajwalaTesting
import XCTest

/// An XCTest base class that gives every test method its own ``TestDatabase`` (and, on request, a
/// ``LiveServer`` on it), dropped in `tearDown` — also after a failing or throwing test.
///
/// ```swift
/// final class BookingXCTests: DatabaseTestCase {
///     override class var databaseKind: DatabaseKind { .postgres }
///     override class var scenario: DatabaseScenario { .standard }
///
///     func testPatientBooks() async throws {
///         let doctor = try await builders.doctor()
///         let patient = try await builders.patient()
///         let view = try await builders.appointment(patient: patient, doctor: doctor)
///         XCTAssertEqual(view.appointment.status, .confirmed)
///     }
/// }
/// ```
/// A PostgreSQL test case is skipped (`XCTSkip`, with the reason) when PostgreSQL is unavailable.
open class DatabaseTestCase: XCTestCase, @unchecked Sendable {
    /// The engine; override to choose PostgreSQL.
    open class var databaseKind: DatabaseKind { .sqlite }
    /// The starting data; override for ``DatabaseScenario/standard`` or your own.
    open class var scenario: DatabaseScenario { .empty }
    /// Configuration variables over the test defaults.
    open class var environment: [String: String] { [:] }

    private var database: TestDatabase?
    private var server: LiveServer?

    /// This test's database (set in `setUp`).
    public var testDatabase: TestDatabase {
        guard let database else { fatalError("testDatabase is available between setUp and tearDown") }
        return database
    }

    /// The service layer on this test's database.
    public var services: BookingServices { testDatabase.services }
    /// Entity builders on this test's database.
    public var builders: EntityBuilders { testDatabase.builders }

    open override func setUp() async throws {
        try await super.setUp()
        let kind = Self.databaseKind
        if kind == .postgres, let reason = SharedPostgresServer.unavailableReason { throw XCTSkip(reason) }
        database = try await TestDatabase.make(kind, scenario: Self.scenario, environment: Self.environment)
    }

    /// Starts (once per test) a live server on this test's database and returns it; stopped in `tearDown`.
    /// - Throws: ``LiveServerError`` when it cannot start.
    public func liveServer() async throws -> LiveServer {
        if let server { return server }
        let started = try await LiveServer.start(on: testDatabase)
        server = started
        return started
    }

    /// An API client for the live server (started if needed).
    public func apiClient() async throws -> APIClient { APIClient(baseURL: try await liveServer().baseURL) }

    open override func tearDown() async throws {
        await server?.stop()
        server = nil
        await database?.drop()
        database = nil
        try await super.tearDown()
    }
}

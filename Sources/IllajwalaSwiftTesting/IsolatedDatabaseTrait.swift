@_exported import IllajwalaTesting
import Logging
import Testing

/// A Swift Testing trait that gives each test (each case of a parameterized test) its own ``TestDatabase``,
/// available as ``TestDatabase/current`` while the test runs and dropped afterwards — also when the test
/// throws or records an issue. On a suite it applies to every test in it.
///
/// ```swift
/// @Test(.isolatedDatabase(.postgres, scenario: .standard))
/// func booking() async throws {
///     let db = try TestDatabase.required()
///     let patient = try await db.builders.patient()
/// }
/// ```
/// When PostgreSQL is unavailable (see ``SharedPostgresServer/unavailableReason``) a PostgreSQL test is
/// cancelled with that reason (reported as skipped), not failed.
public struct IsolatedDatabaseTrait: TestTrait, SuiteTrait, TestScoping {
    /// The engine of every database this trait makes.
    public let kind: DatabaseKind
    /// The data every database starts with.
    public let scenario: DatabaseScenario
    /// Configuration variables over the test defaults.
    public let environment: [String: String]
    /// Level of the service's log.
    public let logLevel: Logger.Level

    /// Applies to the tests inside a suite it is attached to.
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        if kind == .postgres, let reason = SharedPostgresServer.unavailableReason {
            try Test.cancel(Comment(rawValue: reason))
        }
        try await TestDatabase.withDatabase(kind, scenario: scenario, environment: environment, logLevel: logLevel) { database in
            try await TestDatabase.$current.withValue(database) { try await function() }
        }
    }
}

extension Trait where Self == IsolatedDatabaseTrait {
    /// Each test gets its own database of `kind`, seeded with `scenario`: see ``IsolatedDatabaseTrait``.
    /// - Parameters:
    ///   - kind: `.sqlite` (default) or `.postgres`.
    ///   - scenario: starting data (default: ``DatabaseScenario/empty``).
    ///   - environment: configuration variables over the test defaults (e.g. `["ACCESS_TOKEN_TTL_SECONDS": "60"]`).
    ///   - logLevel: level of the service's log (default `critical`: quiet).
    public static func isolatedDatabase(
        _ kind: DatabaseKind = .sqlite, scenario: DatabaseScenario = .empty, environment: [String: String] = [:],
        logLevel: Logger.Level = .critical
    ) -> Self {
        IsolatedDatabaseTrait(kind: kind, scenario: scenario, environment: environment, logLevel: logLevel)
    }
}

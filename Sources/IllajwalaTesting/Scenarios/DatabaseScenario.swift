import BookingServer
import Foundation

/// A named data set a ``TestDatabase`` starts with. Each scenario is built once per test process into a
/// template database (migrated and seeded through the service layer); every test then gets a copy, so a
/// large scenario costs its set-up once, not once per test.
///
/// Scenarios are identified by ``name``: two scenarios with the same name share one template.
///
/// | Scenario | Data |
/// |---|---|
/// | ``empty`` | the schema and the `default` tenant |
/// | ``standard`` | `Fixtures/` (2 tenants, 4 clinics, 7 doctors, admins and patients) |
/// | ``busyClinic`` | ``standard`` plus ``BusyClinic`` (many appointments and a long waitlist at one clinic) |
public struct DatabaseScenario: Sendable, Hashable, CustomStringConvertible {
    /// Identifies the scenario (and its template) within a test process.
    public let name: String
    private let writeData: @Sendable (BookingServices) async throws -> Void

    /// A custom scenario.
    /// - Parameters:
    ///   - name: a unique name (letters, digits, `-`, `_`).
    ///   - seed: writes the data through `services` (the same code paths as the API).
    public init(name: String, seed: @escaping @Sendable (BookingServices) async throws -> Void) {
        self.name = name
        self.writeData = seed
    }

    /// The schema and the `default` tenant (which registration and the builders need), no other data.
    public static let empty = DatabaseScenario(name: "empty") { services in
        try await services.accounts.createTenant(.default, name: "Default tenant")
    }

    /// The development data of `Fixtures/`, validated (``FixtureError`` as `file: field: problem`).
    public static let standard = fixtures(at: PackagePaths.fixtures, name: "standard")

    /// ``standard`` plus a busy clinic: see ``BusyClinic`` for what it holds and how to find it.
    public static let busyClinic = DatabaseScenario(name: "busy-clinic") { services in
        try await standard.seed(services)
        try await BusyClinic.seed(services)
    }

    /// The fixture JSON files of `folder`.
    /// - Parameter name: the scenario's name (default: the folder's path).
    public static func fixtures(at folder: URL, name: String? = nil) -> DatabaseScenario {
        DatabaseScenario(name: name ?? "fixtures:\(folder.standardizedFileURL.path)") { services in
            try await FixtureSeeder(services: services).seed(try FixtureSet.load(from: folder))
        }
    }

    /// Writes the scenario's data through `services`.
    public func seed(_ services: BookingServices) async throws { try await writeData(services) }

    public static func == (lhs: DatabaseScenario, rhs: DatabaseScenario) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    public var description: String { name }
}

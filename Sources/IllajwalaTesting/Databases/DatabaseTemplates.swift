import BookingServer
import Foundation
import Logging

/// One migrated and seeded template per (database kind, scenario) per test process, built on first use.
/// Concurrent first users await the same build; a failed build fails every user with the same error.
actor DatabaseTemplates {
    static let shared = DatabaseTemplates()

    /// Where a template is: a SQLite file, or a PostgreSQL database name on ``SharedPostgresServer``.
    enum Template: Sendable {
        case sqliteFile(URL)
        case postgres(String)
    }

    private var builds: [String: Task<Template, any Error>] = [:]
    /// PostgreSQL copies made ahead of demand, per template name, oldest first.
    private var prefetched: [String: [Task<DatabaseURL.PostgresLocation, any Error>]] = [:]

    /// How many copies of each PostgreSQL template are kept ready: `ILLAJWALA_TEST_PG_PREFETCH` (0–8, default 2).
    ///
    /// A copy costs a `CREATE DATABASE` (≈ 20 ms) that the test would otherwise wait for; made ahead, it
    /// overlaps with the previous test's work. Copies still unused at exit are dropped with the templates.
    nonisolated static var prefetchDepth: Int {
        guard let text = ProcessInfo.processInfo.environment["ILLAJWALA_TEST_PG_PREFETCH"], let depth = Int(text) else { return 2 }
        return min(max(depth, 0), 8)
    }

    /// A new copy of the PostgreSQL template `name`: a prefetched one when ready, else made now; then the
    /// prefetch queue is topped up.
    func postgresCopy(of name: String) async throws -> DatabaseURL.PostgresLocation {
        var queue = prefetched[name] ?? []
        let next = queue.isEmpty ? Self.copyTask(of: name) : queue.removeFirst()
        let depth = Self.prefetchDepth
        while queue.count < depth { queue.append(Self.copyTask(of: name)) }
        prefetched[name] = queue
        return try await next.value
    }

    private static func copyTask(of name: String) -> Task<DatabaseURL.PostgresLocation, any Error> {
        Task { try await SharedPostgresServer.shared.createDatabase(template: name) }
    }

    /// The folder of this process's SQLite templates and per-test copies, removed at exit.
    nonisolated static let folder: URL = {
        sweepOrphanFolders()
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("illajwala-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ProcessExitCleanup.register { try? FileManager.default.removeItem(at: folder) }
        return folder
    }()

    /// Removes the folders of test processes that no longer exist (crashed before their exit clean-up ran).
    private nonisolated static func sweepOrphanFolders() {
        let base = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            guard let owner = ProcessLiveness.owner(ofFolderNamed: name, prefix: "illajwala-test-"), !ProcessLiveness.isAlive(owner) else { continue }
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
    }

    /// The template of `scenario` on `kind`, building it if needed.
    func template(_ kind: DatabaseKind, _ scenario: DatabaseScenario) async throws -> Template {
        let key = "\(kind.rawValue)/\(scenario.name)"
        if let build = builds[key] { return try await build.value }
        let build = Task { try await Self.build(kind, scenario) }
        builds[key] = build
        return try await build.value
    }

    private static func build(_ kind: DatabaseKind, _ scenario: DatabaseScenario) async throws -> Template {
        switch kind {
        case .sqlite:
            let file = folder.appendingPathComponent("template-\(UUID().uuidString).sqlite")
            try await fill("sqlite://\(file.path)", scenario)
            return .sqliteFile(file)
        case .postgres:
            // Dropped at exit with the other outstanding databases (or with the throwaway cluster).
            let location = try await SharedPostgresServer.shared.createDatabase(role: "tpl")
            try await fill(location.url, scenario)
            return .postgres(location.database)
        }
    }

    /// Migrates the database at `url`, seeds `scenario` and closes every connection (a PostgreSQL template
    /// cannot be copied while anyone is connected to it; a SQLite file is complete once closed).
    private static func fill(_ url: String, _ scenario: DatabaseScenario) async throws {
        let configuration = try TestEnvironment.configuration(databaseURL: url, overrides: [:], logLevel: .critical)
        let database = try await BookingDatabase.open(
            configuration.database.url, logger: TestEnvironment.logger("illajwala-test-template", level: .critical),
            options: .init(poolSize: 2))
        do {
            try await Migrator(database: database).migrateUp()
            try await scenario.seed(await BookingServices(database: database, configuration: configuration))
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}

import Foundation
import SQLKit

/// Applies and rolls back the numbered ``Migration``s, recording each applied version in
/// `schema_migrations (version, name, applied_at)`.
public struct Migrator: Sendable {
    /// Every migration this build knows, in order.
    public static let all: [Migration] = [.initialSchema, .rateLimitWindows, .refundClaims]

    /// Highest version this build knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    public let database: BookingDatabase

    public init(database: BookingDatabase) { self.database = database }

    /// One line of `migrate status`.
    public struct VersionStatus: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var applied: Bool
    }

    /// Versions recorded as applied, ascending.
    public func appliedVersions() async throws -> [Int] {
        try await database.withConnection { sql in
            try await Self.ensureTable(sql)
            return try await sql.raw("SELECT version FROM schema_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
        }
    }

    /// Every known migration with whether it is applied.
    public func status() async throws -> [VersionStatus] {
        let applied = Set(try await appliedVersions())
        return Self.all.map { VersionStatus(version: $0.version, name: $0.name, applied: applied.contains($0.version)) }
    }

    /// Applies pending migrations up to `target` (default: all). Each runs in its own transaction.
    /// - Returns: the versions applied.
    @discardableResult
    public func migrateUp(to target: Int? = nil) async throws -> [Int] {
        let applied = Set(try await appliedVersions())
        let limit = target ?? Self.latestVersion
        var done: [Int] = []
        for migration in Self.all where migration.version <= limit && !applied.contains(migration.version) {
            try await database.transaction { sql in
                for statement in migration.up { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Int64(Date().timeIntervalSince1970 * 1000)))"
                ).run()
            }
            done.append(migration.version)
        }
        return done
    }

    /// The applied migrations above `target`, newest first: what ``migrateDown(to:)`` would undo.
    public func rollbackPlan(to target: Int) async throws -> [Migration] {
        let applied = Set(try await appliedVersions())
        return Self.all.reversed().filter { $0.version > target && applied.contains($0.version) }
    }

    /// Rolls back applied migrations above `target` (default: all, to an empty schema), newest first.
    /// - Returns: the versions rolled back.
    @discardableResult
    public func migrateDown(to target: Int = 0) async throws -> [Int] {
        let applied = Set(try await appliedVersions())
        var done: [Int] = []
        for migration in Self.all.reversed() where migration.version > target && applied.contains(migration.version) {
            try await database.transaction { sql in
                for statement in migration.down { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw("DELETE FROM schema_migrations WHERE version = \(bind: migration.version)").run()
            }
            done.append(migration.version)
        }
        return done
    }

    /// Checks that the schema is exactly the one this build expects.
    /// - Throws: ``SchemaError`` telling the operator which command to run.
    public func requireCurrentSchema() async throws {
        let applied = try await appliedVersions()
        let newest = applied.last ?? 0
        if newest > Self.latestVersion {
            throw SchemaError(
                message: "the database schema is at version \(newest), newer than this build knows (\(Self.latestVersion)); deploy a newer illajwala-api or roll back with `illajwala-api migrate down --to \(Self.latestVersion)` using the newer build")
        }
        if applied.count < Self.all.count {
            throw SchemaError(
                message: "the database is not migrated (at version \(newest) of \(Self.latestVersion)); run `illajwala-api migrate up --database-url \(database.url)` first")
        }
    }

    private static func ensureTable(_ sql: any SQLDatabase) async throws {
        try await sql.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        ).run()
    }
}

/// The database schema does not match this build.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

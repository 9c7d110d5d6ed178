import Foundation
import SQLKit

/// Applies and rolls back the numbered ``Migration``s, recording each applied version in
/// `schema_migrations (version, name, applied_at, kind)`.
///
/// A build starts on a schema newer than it knows when every newer migration is an expand one (recorded with its kind):
/// that is what lets a blue-green deploy run a release's expand migrations while the previous release serves, and
/// roll back to that release without a down-migration.
public struct Migrator: Sendable {
    /// Every migration this build knows, in order.
    public static let all: [Migration] = [.initialSchema, .rateLimitWindows, .refundClaims]

    /// Set at the start of every migration's transaction on PostgreSQL: a migration that waits for a lock longer than
    /// `lock_timeout` fails (and can be retried) instead of queueing every request of the live release behind it, and
    /// none runs longer than `statement_timeout` per statement.
    public static let postgresSessionSettings = ["SET LOCAL lock_timeout = '5s'", "SET LOCAL statement_timeout = '60s'"]

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
                if database.dialect == .postgres {
                    for setting in Self.postgresSessionSettings { try await sql.raw(SQLQueryString(setting)).run() }
                }
                for statement in migration.up { try await sql.raw(SQLQueryString(statement)).run() }
                try await sql.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at, kind) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Int64(Date().timeIntervalSince1970 * 1000)), \(bind: migration.kind.rawValue))"
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

    /// The migrations `migrate up` would apply now, in order.
    public func pending() async throws -> [Migration] {
        let applied = Set(try await appliedVersions())
        return Self.all.filter { !applied.contains($0.version) }
    }

    /// Applied versions this build does not know, with their recorded kinds (a newer release migrated the database).
    public func unknownApplied() async throws -> [(version: Int, name: String, kind: Migration.Kind)] {
        try await database.withConnection { sql in
            try await Self.ensureTable(sql)
            return try await sql.raw(
                "SELECT version, name, kind FROM schema_migrations WHERE version > \(bind: Self.latestVersion) ORDER BY version"
            ).all().map { row in
                (
                    try row.decode(column: "version", as: Int.self), try row.decode(column: "name", as: String.self),
                    Migration.Kind(rawValue: (try? row.decode(column: "kind", as: String.self)) ?? "contract") ?? .contract
                )
            }
        }
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
            let newer = try await unknownApplied()
            if let breaking = newer.first(where: { $0.kind == .contract }) {
                throw SchemaError(
                    message:
                        "the database schema is at version \(newest), newer than this build knows (\(Self.latestVersion)), and migration \(breaking.version) (\(breaking.name)) is a contract one this build cannot run on; deploy a newer illajwala-api or roll back with `illajwala-api migrate down --to \(Self.latestVersion)` using the newer build"
                )
            }
            // Only expand migrations ahead: this release works on the newer schema (a rollback after a deploy).
        }
        guard Set(applied).isSuperset(of: Self.all.map(\.version)) else {
            throw SchemaError(
                message:
                    "the database is not migrated (at version \(newest) of \(Self.latestVersion)); run `illajwala-api migrate up --database-url \(database.url)` first"
            )
        }
    }

    private static func ensureTable(_ sql: any SQLDatabase) async throws {
        try await sql.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL, kind TEXT NOT NULL DEFAULT 'expand')"
        ).run()
        // Databases migrated before kinds were recorded: add the column (their migrations 1–3 were all applied by
        // releases that knew them, so the default is never read for an unknown version).
        do {
            _ = try await sql.raw("SELECT kind FROM schema_migrations WHERE version < 0").all()
        } catch {
            try await sql.raw("ALTER TABLE schema_migrations ADD COLUMN kind TEXT NOT NULL DEFAULT 'expand'").run()
        }
    }
}

/// The database schema does not match this build.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

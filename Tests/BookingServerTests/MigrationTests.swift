import BookingServer
import Foundation
import IllajwalaTesting
import Logging
import SQLKit
import Testing

@Suite("Migrations and start-up checks")
struct MigrationTests {
    /// A new empty database of `kind` and the clean-up that removes it.
    func temporaryDatabase(_ kind: DatabaseKind) async throws -> (BookingDatabase, @Sendable () async -> Void) {
        let logger = Logger(label: "test")
        switch kind {
        case .sqlite:
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString).db")
            let database = try await BookingDatabase.open(.sqliteFile(path: url.path), logger: logger)
            return (
                database,
                {
                    await database.close()
                    try? FileManager.default.removeItem(at: url)
                }
            )
        case .postgres:
            let location = try await SharedPostgresServer.shared.createDatabase()
            let database = try await BookingDatabase.open(.postgres(location), logger: logger)
            return (
                database,
                {
                    await database.close()
                    await SharedPostgresServer.shared.dropDatabase(location.database)
                }
            )
        }
    }

    /// Tables, columns and indexes as the engine describes them (the `schema_migrations` rows excluded).
    func schema(_ database: BookingDatabase) async throws -> [String] {
        try await database.withConnection { sql in
            switch database.dialect {
            case .sqlite:
                return try await sql.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all().map {
                    "\(try $0.decode(column: "type", as: String.self)) \(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "sql", as: String?.self) ?? "")"
                }
            case .postgres:
                let columns = try await sql.raw(
                    """
                    SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
                    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
                    """
                ).all().map {
                    "column \(try $0.decode(column: "table_name", as: String.self)).\(try $0.decode(column: "column_name", as: String.self)) \(try $0.decode(column: "data_type", as: String.self)) \(try $0.decode(column: "is_nullable", as: String.self)) \(try $0.decode(column: "column_default", as: String?.self) ?? "")"
                }
                let indexes = try await sql.raw("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname").all().map {
                    "index \(try $0.decode(column: "indexname", as: String.self)) \(try $0.decode(column: "indexdef", as: String.self))"
                }
                return columns + indexes
            }
        }
    }

    @Test("up, down, up gives the same schema; status reports each version", arguments: DatabaseKind.available)
    func roundTrip(_ kind: DatabaseKind) async throws {
        let (database, cleanUp) = try await temporaryDatabase(kind)
        let migrator = Migrator(database: database)
        #expect(try await migrator.status().allSatisfy { !$0.applied })
        let empty = try await schema(database)  // only the schema_migrations bookkeeping table
        #expect(!empty.isEmpty && empty.allSatisfy { $0.contains("schema_migrations") })
        await #expect(throws: SchemaError.self) { try await migrator.requireCurrentSchema() }
        #expect(try await migrator.migrateUp() == [1, 2, 3])
        let first = try await schema(database)
        #expect(first.contains { $0.contains("appointments_one_live_booking_per_slot") })
        try await migrator.requireCurrentSchema()
        #expect(try await migrator.migrateDown() == [3, 2, 1])
        #expect(try await schema(database) == empty)
        #expect(try await migrator.migrateUp() == [1, 2, 3])
        #expect(try await schema(database) == first)
        #expect(try await migrator.migrateUp() == [])
        await cleanUp()
    }

    @Test("a schema newer than this build: refused after a contract migration, served after expand-only ones", arguments: DatabaseKind.available)
    func newerSchema(_ kind: DatabaseKind) async throws {
        let (database, cleanUp) = try await temporaryDatabase(kind)
        let migrator = Migrator(database: database)
        try await migrator.migrateUp()
        // A newer release ran an expand migration: this build still starts (the rollback of a blue-green deploy).
        try await database.withConnection { sql in
            try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at, kind) VALUES (998, 'future_expand', 0, 'expand')").run()
        }
        try await migrator.requireCurrentSchema()
        #expect(try await migrator.unknownApplied().map(\.version) == [998])
        // Then a contract one: this build would break on it and refuses to start.
        try await database.withConnection { sql in
            try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at, kind) VALUES (999, 'future_contract', 0, 'contract')").run()
        }
        do {
            try await migrator.requireCurrentSchema()
            Issue.record("a schema with a newer contract migration must be refused")
        } catch let error as SchemaError {
            #expect(error.message.contains("newer than this build"))
            #expect(error.message.contains("migration 999 (future_contract) is a contract one"))
        }
        #expect(try await migrator.pending().isEmpty)
        await cleanUp()
    }

    @Test("a bookkeeping table from before kinds were recorded gains the column; plan and kinds are listed")
    func kindsColumn() async throws {
        let (database, cleanUp) = try await temporaryDatabase(.sqlite)
        try await database.withConnection { sql in
            try await sql.raw("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)").run()
        }
        let migrator = Migrator(database: database)
        #expect(try await migrator.pending().map(\.kind) == [.contract, .expand, .expand])
        try await migrator.migrateUp(to: 1)
        #expect(try await migrator.pending().map(\.version) == [2, 3])
        try await migrator.migrateUp()
        try await migrator.requireCurrentSchema()
        await cleanUp()
    }

    @Test("bad configuration values fail start-up naming the variable")
    func configuration() throws {
        let cases: [([String: String], String)] = [
            (["PORT": "http"], "PORT"), (["PORT": "70000"], "PORT"), (["ILLAJWALA_ENV": "prod"], "ILLAJWALA_ENV"),
            (["DATABASE_URL": "mysql://x"], "DATABASE_URL"), (["DATABASE_URL": "sqlite://relative.db"], "DATABASE_URL"),
            (["JWT_SECRET": "short"], "JWT_SECRET"), (["BCRYPT_COST": "40"], "BCRYPT_COST"), (["LOG_LEVEL": "loud"], "LOG_LEVEL"),
            (["ILLAJWALA_ENV": "production", "JWT_SECRET": String(repeating: "k", count: 40)], "DATABASE_URL"),
            (["ILLAJWALA_ENV": "production", "DATABASE_URL": "sqlite:///tmp/x.db"], "DATABASE_URL"),
            (["ILLAJWALA_ENV": "production", "DATABASE_URL": "postgres://app@db.internal/booking"], "JWT_SECRET"),
        ]
        for (environment, variable) in cases {
            #expect(throws: ConfigurationError.self, "\(environment)") { try ServerConfiguration(environment: environment) }
            do { _ = try ServerConfiguration(environment: environment) } catch let error as ConfigurationError {
                #expect(error.variable == variable, "\(environment)")
            }
        }
        let defaults = try ServerConfiguration(environment: [:])
        #expect(defaults.database.url == .sqliteMemory)
        #expect(defaults.http.port == 8080)
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"]).auth.bcryptCost == 4)
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/x.db") == .sqliteFile(path: "/var/lib/x.db"))
        guard case .postgres(let location) = try DatabaseURL(parsing: "postgres://app:s3cret@db.internal:6432/booking?sslmode=require") else {
            Issue.record("a postgres URL must parse")
            return
        }
        #expect(location.host == "db.internal" && location.port == 6432 && location.username == "app" && location.database == "booking")
        #expect(!DatabaseURL.postgres(location).description.contains("s3cret"), "descriptions never show the password")
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "postgres://db.internal/booking") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "postgres://app@db.internal/") }
        // A misspelt sslmode must not quietly connect without TLS.
        for mode in ["requried", "bogus", "REQUIRE", ""] {
            #expect(throws: ConfigurationError.self, "sslmode=\(mode)") { try DatabaseURL(parsing: "postgres://app@db.internal/booking?sslmode=\(mode)") }
        }
        for mode in DatabaseURL.sslModes {
            #expect(throws: Never.self, "sslmode=\(mode)") { try DatabaseURL(parsing: "postgres://app@db.internal/booking?sslmode=\(mode)") }
        }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["DATABASE_POOL_SIZE": "0"]) }
    }
}

@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
    @Test(
        "PostgreSQL integration tests run here",
        .enabled(if: SharedPostgresServer.isAvailable, Comment(rawValue: SharedPostgresServer.unavailableReason ?? "")))
    func available() async throws {
        let location = try await SharedPostgresServer.shared.createDatabase()
        #expect(try await SharedPostgresServer.shared.remainingTestDatabases().contains(location.database))
        await SharedPostgresServer.shared.dropDatabase(location.database)
        #expect(!(try await SharedPostgresServer.shared.remainingTestDatabases().contains(location.database)))
    }
}

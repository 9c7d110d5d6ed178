import BookingServer
import Foundation
import Logging
import SQLKit
import Testing

@Suite("Migrations and start-up checks")
struct MigrationTests {
    func temporaryDatabase() async throws -> (BookingDatabase, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString).db")
        return (try await BookingDatabase.open(.sqliteFile(path: url.path), logger: Logger(label: "test")), url)
    }

    func schema(_ database: BookingDatabase) async throws -> [String] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all().map {
                "\(try $0.decode(column: "type", as: String.self)) \(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "sql", as: String?.self) ?? "")"
            }
        }
    }

    @Test("up, down, up gives the same schema; status reports each version")
    func roundTrip() async throws {
        let (database, url) = try await temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: url) }
        let migrator = Migrator(database: database)
        #expect(try await migrator.status().allSatisfy { !$0.applied })
        let empty = try await schema(database)  // only the schema_migrations bookkeeping table
        #expect(empty.count == 1)
        await #expect(throws: SchemaError.self) { try await migrator.requireCurrentSchema() }
        #expect(try await migrator.migrateUp() == [1])
        let first = try await schema(database)
        #expect(first.contains { $0.contains("appointments_one_live_booking_per_slot") })
        try await migrator.requireCurrentSchema()
        #expect(try await migrator.migrateDown() == [1])
        #expect(try await schema(database) == empty)
        #expect(try await migrator.migrateUp() == [1])
        #expect(try await schema(database) == first)
        #expect(try await migrator.migrateUp() == [])
        await database.close()
    }

    @Test("a schema newer than this build is refused with a clear message")
    func newerSchema() async throws {
        let (database, url) = try await temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: url) }
        let migrator = Migrator(database: database)
        try await migrator.migrateUp()
        try await database.withConnection { sql in
            try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run()
        }
        do {
            try await migrator.requireCurrentSchema()
            Issue.record("a newer schema must be refused")
        } catch let error as SchemaError {
            #expect(error.message.contains("newer than this build"))
        }
        await database.close()
    }

    @Test("bad configuration values fail start-up naming the variable")
    func configuration() throws {
        let cases: [([String: String], String)] = [
            (["PORT": "http"], "PORT"), (["PORT": "70000"], "PORT"), (["ILLAJWALA_ENV": "prod"], "ILLAJWALA_ENV"),
            (["DATABASE_URL": "mysql://x"], "DATABASE_URL"), (["DATABASE_URL": "sqlite://relative.db"], "DATABASE_URL"),
            (["JWT_SECRET": "short"], "JWT_SECRET"), (["BCRYPT_COST": "40"], "BCRYPT_COST"), (["LOG_LEVEL": "loud"], "LOG_LEVEL"),
            (["ILLAJWALA_ENV": "production", "JWT_SECRET": String(repeating: "k", count: 40)], "DATABASE_URL"),
            (["ILLAJWALA_ENV": "production", "DATABASE_URL": "sqlite:///tmp/x.db"], "JWT_SECRET"),
        ]
        for (environment, variable) in cases {
            #expect(throws: ConfigurationError.self, "\(environment)") { try ServerConfiguration(environment: environment) }
            do { _ = try ServerConfiguration(environment: environment) } catch let error as ConfigurationError {
                #expect(error.variable == variable, "\(environment)")
            }
        }
        let defaults = try ServerConfiguration(environment: [:])
        #expect(defaults.databaseURL == .sqliteMemory)
        #expect(defaults.port == 8080)
        #expect(try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"]).bcryptCost == 4)
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/x.db") == .sqliteFile(path: "/var/lib/x.db"))
    }
}

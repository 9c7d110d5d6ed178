import BookingCore
import BookingServer
import Foundation
import IllajwalaTesting
import SQLKit
import Testing

@Suite("TestDatabase: one migrated, seeded database per test, always removed")
struct TestDatabaseTests {
    private func userCount(_ database: TestDatabase) async throws -> Int {
        try await database.database.withConnection { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
        }
    }

    @Test("databases made at the same time are separate: writes in one are invisible in the other", arguments: DatabaseKind.available)
    func isolation(_ kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind, scenario: .standard) { first in
            try await TestDatabase.withDatabase(kind, scenario: .standard) { second in
                #expect(first.url != second.url)
                let before = try await userCount(second)
                _ = try await first.builders.patient()
                #expect(try await userCount(first) == before + 1)
                #expect(try await userCount(second) == before)
            }
        }
    }

    @Test("the database is gone after the scope, also when the body throws", arguments: DatabaseKind.available)
    func dropOnThrow(_ kind: DatabaseKind) async throws {
        struct Boom: Error {}
        let captured = Captured()
        await #expect(throws: Boom.self) {
            try await TestDatabase.withDatabase(kind) { database in
                await captured.set(database)
                #expect(try await database.exists())
                throw Boom()
            }
        }
        let database = try #require(await captured.value)
        #expect(try await database.exists() == false)
        await database.drop()  // a second drop is harmless
    }

    @Test("sixteen databases in parallel: each set up, used and dropped; none remains", arguments: DatabaseKind.available)
    func parallel(_ kind: DatabaseKind) async throws {
        let made = try await withThrowingTaskGroup(of: TestDatabase.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await TestDatabase.withDatabase(kind, scenario: .standard) { database in
                        _ = try await database.builders.patient()
                        return database
                    }
                }
            }
            return try await group.reduce(into: [TestDatabase]()) { $0.append($1) }
        }
        #expect(Set(made.map(\.url)).count == 16)
        for database in made { #expect(try await database.exists() == false) }
        if kind == .postgres {
            let names = Set(made.map { $0.url.split(separator: "/").last.map(String.init) ?? "" })
            let left = Set(try await SharedPostgresServer.shared.remainingTestDatabases())
            #expect(names.isDisjoint(with: left), "no per-test database of this test remains on the server")
        }
    }

    @Test("scenarios: empty has no accounts, standard has Fixtures/, busy-clinic adds appointments and a waitlist", arguments: DatabaseKind.available)
    func scenarios(_ kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { database async throws in
            #expect(try await userCount(database) == 0)
            #expect(try await Migrator(database: database.database).status().allSatisfy(\.applied))
        }
        try await TestDatabase.withDatabase(kind, scenario: .standard) { database async throws in
            let set = try FixtureSet.load(from: PackagePaths.fixtures)
            #expect(try await userCount(database) == set.admins.count + set.patients.count + set.doctors.count)
        }
        try await TestDatabase.withDatabase(kind, scenario: .busyClinic) { database in
            let counts = try await database.database.withConnection { sql in
                (
                    try await sql.raw("SELECT COUNT(*) AS n FROM appointments").first()!.decode(column: "n", as: Int.self),
                    try await sql.raw("SELECT COUNT(*) AS n FROM appointments WHERE status = 'cancelled'").first()!.decode(column: "n", as: Int.self),
                    try await sql.raw("SELECT COUNT(*) AS n FROM waitlist_entries WHERE status = 'active'").first()!.decode(column: "n", as: Int.self)
                )
            }
            #expect(counts.0 == BusyClinic.appointmentCount)
            #expect(counts.1 == BusyClinic.cancelledCount)
            #expect(counts.2 == BusyClinic.waitlistLength)
        }
    }

    @Test("a bad scenario fails every database made from it with the same clear error")
    func badScenario() async throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "scenario refused" } }
        let broken = DatabaseScenario(name: "broken-\(UUID().uuidString)") { _ in throw Refused() }
        for _ in 0..<2 {
            await #expect(throws: Refused.self) { try await TestDatabase.make(.sqlite, scenario: broken) }
        }
    }

    @Test("configuration overrides reach the services; a bad override is a ConfigurationError")
    func overrides() async throws {
        try await TestDatabase.withDatabase(environment: ["ACCESS_TOKEN_TTL_SECONDS": "120"]) { database in
            #expect(database.configuration.auth.accessTokenTTL == 120)
            #expect(database.configuration.environment == .test)
        }
        await #expect(throws: ConfigurationError.self) {
            try await TestDatabase.make(environment: ["ACCESS_TOKEN_TTL_SECONDS": "5"])
        }
        for (overrides, expected) in [
            (["ACCESS_TOKEN_TTL": "60"], "is not a configuration variable; did you mean ACCESS_TOKEN_TTL_SECONDS?"),
            (["DATABASE_URL": "sqlite::memory:"], "cannot be overridden"),
        ] {
            do {
                let database = try await TestDatabase.make(environment: overrides)
                await database.drop()
                Issue.record("\(overrides) must be refused")
            } catch let error as ConfigurationError {
                #expect(String(describing: error).contains(expected), "\(error)")
            }
        }
    }

    @Test("TestDatabase.required() without the trait says how to get one")
    func requiredWithoutTrait() {
        #expect(throws: TestDatabaseError.self) { try TestDatabase.required() }
    }
}

/// Holds a value set from inside a closure.
actor Captured {
    private(set) var value: TestDatabase?
    func set(_ database: TestDatabase) { value = database }
}

import BookingCore
import Foundation
import IllajwalaSwiftTesting
import Testing

@Suite("The .isolatedDatabase trait")
struct IsolatedDatabaseTraitTests {
    @Test("a test with the trait has its own SQLite database as TestDatabase.current", .isolatedDatabase())
    func sqliteCurrent() async throws {
        let database = try TestDatabase.required()
        #expect(database.kind == .sqlite)
        #expect(try await database.exists())
        _ = try await database.builders.patient()
    }

    @Test("PostgreSQL with a scenario (cancelled with the reason where PostgreSQL is unavailable)", .isolatedDatabase(.postgres, scenario: .standard))
    func postgresCurrent() async throws {
        let database = try TestDatabase.required()
        #expect(database.kind == .postgres)
        #expect(database.scenario == .standard)
        let (clinics, _) = try await database.services.clinics.list(tenant: .default, status: nil, city: nil, page: 1, pageSize: 50)
        #expect(!clinics.isEmpty)
    }

    @Test("each case of a parameterized test gets a database of its own", .isolatedDatabase(), arguments: 1...3)
    func perCase(_ number: Int) async throws {
        let database = try TestDatabase.required()
        let patient = try await database.builders.patient(name: "Case \(number)")
        let count = try await database.database.withConnection { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
        }
        #expect(count == 1, "only this case's patient \(patient.email) is in its database")
    }

    @Test("the scope drops the database after the test, also when the test throws")
    func dropsAfterThrow() async throws {
        struct Boom: Error {}
        let trait = IsolatedDatabaseTrait.isolatedDatabase(.sqlite)
        let captured = Captured()
        let test = try #require(Test.current)
        await #expect(throws: Boom.self) {
            try await trait.provideScope(for: test, testCase: Test.Case.current) {
                await captured.set(try TestDatabase.required())
                throw Boom()
            }
        }
        let database = try #require(await captured.value)
        #expect(try await database.exists() == false)
        #expect(TestDatabase.current == nil, "current is only set inside the scope")
    }
}

@Suite("The trait on a suite", .isolatedDatabase(scenario: .standard))
struct IsolatedDatabaseSuiteTraitTests {
    @Test("tests of the suite get the suite's kind and scenario")
    func inherited() throws {
        let database = try TestDatabase.required()
        #expect(database.kind == .sqlite)
        #expect(database.scenario == .standard)
    }

    @Test("and their own database: a write here is not seen by the sibling test")
    func separate() async throws {
        let database = try TestDatabase.required()
        _ = try await database.builders.clinic(name: "Only Here")
        let (clinics, _) = try await database.services.clinics.list(tenant: .default, status: nil, city: nil, page: 1, pageSize: 50)
        #expect(clinics.filter { $0.name == "Only Here" }.count == 1)
    }
}

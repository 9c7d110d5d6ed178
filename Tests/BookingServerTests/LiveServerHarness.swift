import Foundation
import IllajwalaTesting
import Testing

/// Runs `body` against a live server on `database` seeded with `Fixtures/` (``LiveServer/withServer``, which always stops it).
func withSeededServer(
    _ database: DatabaseKind, environment: [String: String] = [:], _ body: (LiveServer, APIClient) async throws -> Void
) async throws {
    try await LiveServer.withServer(database: database, scenario: .standard, environment: environment) { server in
        try await body(server, APIClient(baseURL: server.baseURL))
    }
}

/// Per-client budgets for tests that send hundreds of requests from one address about something other than
/// rate limits (the limits themselves: `Security/RateLimitTests.swift`).
let bulkRateLimits = [
    "RATE_LIMIT_API_PER_MINUTE": "1000000", "RATE_LIMIT_REGISTRATIONS_PER_MINUTE": "1000000",
    "RATE_LIMIT_PAYMENTS_PER_MINUTE": "1000000", "RATE_LIMIT_LOGIN_FAILURES": "100000",
]

/// Small shapes the tests decode from responses.
struct Doctor: Decodable {
    var id: UUID
    var fee: Int
    var clinicIds: [UUID]
    var reviewStatus: String
    var name: String
}
struct Slot: Decodable {
    var start: String
    var end: String
    var clinicId: UUID
}
struct PaymentView: Decodable {
    var orderId: String
    var amount: Int
    var status: String
    var history: [Event]
    struct Event: Decodable { var type: String }
}
struct Appointment: Decodable {
    var id: UUID
    var status: String
    var scheduledAt: String
    var fee: Int
    var payment: PaymentView?
}
struct Checkout: Decodable {
    var paymentId: String?
    var signature: String?
    var outcome: String
}
struct WaitlistEntry: Decodable {
    var id: UUID
    var status: String
    var priorityScore: Double
    var promotedAppointmentId: UUID?
    var audit: [Audit]
    struct Audit: Decodable { var action: String }
}
struct Promotion: Decodable {
    var entry: WaitlistEntry
    var appointment: Appointment
}

struct Body: Encodable, Sendable {
    let values: [String: Value]
    init(_ values: [String: Value]) { self.values = values }
    enum Value: Encodable, Sendable {
        case string(String), int(Int), strings([String]), object([String: String])
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let v): try container.encode(v)
            case .int(let v): try container.encode(v)
            case .strings(let v): try container.encode(v)
            case .object(let v): try container.encode(v)
            }
        }
    }
    func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
}

extension APIClient {
    /// Registers a new unique patient and returns a client carrying their session.
    func newPatient(tenant: String? = nil) async throws -> APIClient {
        var client = self
        client.tenant = tenant
        let email = "patient-\(UUID().uuidString.prefix(8).lowercased())@example.test"
        return try await client.register(name: "Test Patient", email: email, phone: "+919811111111", password: "Str0ng-pass-phrase")
    }

    func doctor(email: String) async throws -> Doctor {
        let admin = try await authenticated(email: FixtureCredentials.adminEmail, password: FixtureCredentials.adminPassword, role: "admin")
        let doctors = try await admin.send("GET", "/api/admin/doctors?pageSize=100").data(as: [AdminDoctor].self)
        let id = try #require(doctors.first { $0.email == email }).id
        return try await send("GET", "/api/doctors/\(id)").data(as: Doctor.self)
    }

    /// The doctor's free slots this week that start at least ``Fixtures/bookingLeadTime`` from now (a slot starting
    /// sooner could pass into the past, and become unbookable, while the test runs).
    func freeSlots(_ doctor: UUID) async throws -> [Slot] {
        let earliest = Date().addingTimeInterval(EntityBuilders.bookingLeadTime)
        return try await send("GET", "/api/doctors/\(doctor)/availability").data(as: [Slot].self, expecting: 200)
            .filter { try Date($0.start, strategy: .iso8601) >= earliest }
    }
}

struct AdminDoctor: Decodable {
    var id: UUID
    var email: String
}

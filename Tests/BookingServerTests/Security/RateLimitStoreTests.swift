import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// One store under test: the in-memory one, or the database one on a fresh database of a kind.
enum StoreUnderTest: CustomStringConvertible, Sendable {
    case memory
    case database(DatabaseKind)

    static var all: [StoreUnderTest] { [.memory] + DatabaseKind.available.map { .database($0) } }

    var description: String {
        switch self {
        case .memory: return "in-memory"
        case .database(let kind): return "database (\(kind))"
        }
    }

    /// Runs `body` with a new store; a database store's database is dropped afterwards.
    func with(_ body: (any RateLimitStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemoryRateLimitStore())
        case .database(let kind):
            let database = try await TestDatabase.make(kind)
            do {
                try await body(DatabaseRateLimitStore(database: database.services.database))
                await database.drop()
            } catch {
                await database.drop()
                throw error
            }
        }
    }
}

@Suite("Rate-limit stores: the in-memory and the database store behave the same")
struct RateLimitStoreTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("hits count up within a window and start again after it", arguments: StoreUnderTest.all)
    func fixedWindow(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            for expected in 1...3 {
                let window = try await store.record(key: "api|client|192.0.2.1", cost: 1, window: 60, now: start.addingTimeInterval(Double(expected)))
                #expect(window.count == expected)
                #expect(abs(window.resetsAt.timeIntervalSince(start.addingTimeInterval(61))) < 0.01, "the window started with the first hit")
            }
            let other = try await store.record(key: "api|client|192.0.2.2", cost: 1, window: 60, now: start.addingTimeInterval(5))
            #expect(other.count == 1, "keys are independent")
            let peek = try await store.record(key: "api|client|192.0.2.1", cost: 0, window: 60, now: start.addingTimeInterval(30))
            #expect(peek.count == 3, "cost 0 reads without counting")
            let next = try await store.record(key: "api|client|192.0.2.1", cost: 1, window: 60, now: start.addingTimeInterval(61))
            #expect(next.count == 1, "a new window after the old one ended")
            #expect(abs(next.resetsAt.timeIntervalSince(start.addingTimeInterval(121))) < 0.01)
        }
    }

    @Test("a negative cost gives hits back to a running window, never below zero, and creates none", arguments: StoreUnderTest.all)
    func refunds(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            _ = try await store.record(key: "login|client|a", cost: 1, window: 900, now: start)
            _ = try await store.record(key: "login|client|a", cost: 1, window: 900, now: start)
            #expect(try await store.record(key: "login|client|a", cost: -1, window: 900, now: start).count == 1)
            #expect(try await store.record(key: "login|client|a", cost: -1, window: 900, now: start).count == 0)
            #expect(try await store.record(key: "login|client|a", cost: -1, window: 900, now: start).count == 0)
            #expect(try await store.record(key: "login|client|never", cost: -1, window: 900, now: start).count == 0)
            #expect(try await store.record(key: "login|client|never", cost: 0, window: 900, now: start).count == 0)
            #expect(try await store.record(key: "login|client|never", cost: 1, window: 900, now: start).count == 1)
        }
    }

    @Test("concurrent hits are never lost", arguments: StoreUnderTest.all)
    func concurrency(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let now = start
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { _ = try await store.record(key: "payments|client|x", cost: 1, window: 60, now: now) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.record(key: "payments|client|x", cost: 0, window: 60, now: now).count == 50)
        }
    }

    @Test("ended windows are evicted", arguments: StoreUnderTest.all)
    func eviction(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            for index in 0..<20 {
                _ = try await store.record(key: "api|client|\(index)", cost: 1, window: 10, now: start)
            }
            _ = try await store.record(key: "api|client|late", cost: 1, window: 10, now: start.addingTimeInterval(5))
            #expect(try await store.evictExpired(now: start.addingTimeInterval(10)) == 20)
            #expect(try await store.evictExpired(now: start.addingTimeInterval(10)) == 0)
            #expect(try await store.record(key: "api|client|late", cost: 0, window: 10, now: start.addingTimeInterval(10)).count == 1)
        }
    }

    @Test("the in-memory store stays bounded under a flood of distinct clients")
    func memoryBound() async throws {
        let store = InMemoryRateLimitStore(capacity: 5_000, sweepInterval: 1_024)
        // 50 000 clients inside one window: nothing has ended, so the capacity bound must hold by itself.
        for index in 0..<50_000 {
            _ = try await store.record(key: "api|client|10.\(index >> 16).\((index >> 8) & 255).\(index & 255)", cost: 1, window: 60, now: start)
            #expect(store.count <= 5_000)
        }
        #expect(try await store.record(key: "api|client|10.0.195.79", cost: 1, window: 60, now: start).count >= 1)
        // 50 000 more, one per second with a 10 s window: the sweeps keep only live windows.
        let sweeping = InMemoryRateLimitStore(capacity: 100_000, sweepInterval: 100)
        for index in 0..<50_000 {
            _ = try await sweeping.record(key: "api|client|\(index)", cost: 1, window: 10, now: start.addingTimeInterval(Double(index)))
        }
        #expect(sweeping.count <= 110, "≤ sweep interval + live windows, not 50 000 (got \(sweeping.count))")
    }
}

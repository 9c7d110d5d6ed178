import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Synchronization

/// bcrypt password hashing on threads of its own, so hashing never blocks an event loop.
///
/// bcrypt is deliberately slow (≈ 350 ms at cost 12); a burst of logins or registrations must not take the CPU the
/// other requests need. Hashes run on ``hashingThreads`` threads (half the cores, at least one), queued beyond that:
/// under a login burst the logins wait, while searches, bookings and health checks keep the remaining cores.
/// Callers hash before opening a transaction (``AccountService/hashedPassword(_:field:)``) so a queued hash never
/// holds a database connection.
public struct PasswordHasher: Sendable {
    /// Threads that run bcrypt: half the machine's cores, at least one.
    public static let hashingThreads = max(1, System.coreCount / 2)

    /// The process's bcrypt threads (started on first use, never stopped: they live as long as the process).
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: hashingThreads)
        pool.start()
        return pool
    }()

    /// bcrypt cost factor (log2 rounds): 4 in tests, ≥ 12 in production.
    public let cost: Int

    /// A valid hash of an unguessable password, verified against when an e-mail is unknown so that
    /// login spends the same time whether or not the account exists.
    private let decoyHash: String

    /// Decoy hashes by cost, computed once per process (a hash costs ≈ 350 ms at cost 12).
    private static let decoys = Mutex<[Int: String]>([:])

    public init(cost: Int) {
        self.cost = cost
        self.decoyHash = Self.decoys.withLock { decoys in
            if let known = decoys[cost] { return known }
            let made = Bcrypt.hash("decoy-password-never-used", cost: UInt8(cost))
            decoys[cost] = made
            return made
        }
    }

    /// The cost factor written in a bcrypt hash (`$2b$12$…` → 12), or `nil` when `hash` is not one.
    public static func cost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0].hasPrefix("2") else { return nil }
        return Int(parts[1])
    }

    /// A bcrypt hash of `password` at ``cost``.
    public func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await Self.pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with `hash == nil` verifies against a decoy and returns false.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await Self.pool.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }
}

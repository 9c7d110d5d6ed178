import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt password hashing, run on NIO's thread pool so hashing never blocks an event loop.
public struct PasswordHasher: Sendable {
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
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with `hash == nil` verifies against a decoy and returns false.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }
}

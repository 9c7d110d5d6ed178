import Foundation

/// How accounts prove who they are: the signing keys and claims of access tokens, token lifetimes and the cost
/// of password hashes (API.md "Authentication"; RFC 8725 for the key rules).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `JWT_SECRET` | HS256 key, ≥ 32 bytes | a fixed public key in development, a random per-process key in `test`; required in production |
/// | `JWT_KEY_ID` | `kid` of the tokens `JWT_SECRET` signs | `k-` + 12 hex digits of SHA-256 of the secret |
/// | `JWT_PREVIOUS_KEYS` | keys of earlier rotations, verify-only: `kid=secret` entries separated by commas | none |
/// | `JWT_PREVIOUS_KEYS_VALID_UNTIL` | RFC 3339 instant ending their grace period; required with `JWT_PREVIOUS_KEYS`, at most 30 days ahead | none |
/// | `JWT_ISSUER`, `JWT_AUDIENCE` | `iss`/`aud` claims | `illajwala-api`, `illajwala-clients` |
/// | `ACCESS_TOKEN_TTL_SECONDS` | access-token lifetime, 60–86400 | 900 |
/// | `REFRESH_TOKEN_TTL_SECONDS` | refresh-token lifetime, 3600–7776000 | 1209600 (14 days) |
/// | `BCRYPT_COST` | 4–31; ≥ 12 in production | 12 (4 in `test`) |
public struct AuthSettings: ConfigurationSection {
    public static let variableNames = [
        "JWT_SECRET", "JWT_KEY_ID", "JWT_PREVIOUS_KEYS", "JWT_PREVIOUS_KEYS_VALID_UNTIL", "JWT_ISSUER", "JWT_AUDIENCE",
        "ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS", "BCRYPT_COST",
    ]

    /// Development-only signing key. Never valid in production (start-up refuses it there).
    public static let developmentJWTSecret = "dev-only-jwt-secret-0123456789abcdef0123456789abcdef"
    /// The `test` environment's signing key when `JWT_SECRET` is unset: 32 random bytes drawn once per process, so
    /// every server of one test process verifies the others' tokens and no fixed key exists outside development.
    static let processTestSecret = Base64URL.random(bytes: 32)

    /// Fewest different characters a production `JWT_SECRET` must show.
    static let minimumDistinctCharacters = 12

    /// The HS256 key new tokens are signed with.
    public var jwtSecret: String
    /// The `kid` of tokens signed with ``jwtSecret`` (`nil`: derived from the secret).
    public var jwtKeyID: String?
    /// Verify-only keys of earlier rotations.
    public var jwtPreviousKeys: [TokenService.SigningKey]
    /// When ``jwtPreviousKeys`` stop verifying.
    public var jwtPreviousKeysValidUntil: Date?
    /// The `iss` claim.
    public var jwtIssuer: String
    /// The `aud` claim.
    public var jwtAudience: String
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: Int
    /// Refresh-token lifetime in seconds.
    public var refreshTokenTTL: Int
    /// bcrypt cost of new password hashes.
    public var bcryptCost: Int

    /// - Throws: ``ConfigurationError`` for a short or (in production) missing or development secret, a malformed
    ///   key id or previous-key list, a grace period without keys or longer than 30 days, a lifetime out of range,
    ///   a bcrypt cost below 12 in production.
    public init(_ variables: ConfigurationVariables) throws {
        jwtSecret = try Self.secret(variables)
        jwtKeyID = try variables.value("JWT_KEY_ID").map { id in
            guard Self.isKeyID(id) else {
                throw ConfigurationError(variable: "JWT_KEY_ID", value: id, problem: "expected 1–64 characters of A-Z a-z 0-9 . _ -")
            }
            return id
        }
        jwtPreviousKeys = try Self.previousKeys(variables, currentKeyID: jwtKeyID ?? TokenService.SigningKey(secret: jwtSecret).id)
        jwtPreviousKeysValidUntil = try Self.gracePeriodEnd(variables, hasPreviousKeys: !jwtPreviousKeys.isEmpty)
        jwtIssuer = variables.value("JWT_ISSUER") ?? "illajwala-api"
        jwtAudience = variables.value("JWT_AUDIENCE") ?? "illajwala-clients"
        accessTokenTTL = try variables.integer("ACCESS_TOKEN_TTL_SECONDS", default: 900, range: 60...86_400)
        refreshTokenTTL = try variables.integer("REFRESH_TOKEN_TTL_SECONDS", default: 1_209_600, range: 3_600...7_776_000)
        bcryptCost = try variables.integer("BCRYPT_COST", default: variables.environment == .test ? 4 : 12, range: 4...31)
        if variables.production && bcryptCost < 12 {
            throw ConfigurationError(variable: "BCRYPT_COST", value: String(bcryptCost), problem: "must be at least 12 in production")
        }
    }

    /// Whether `id` is a usable `kid`: 1–64 characters of `A-Z a-z 0-9 . _ -`.
    static func isKeyID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
            }
    }

    /// `JWT_SECRET`, or the environment's default: none in production, a per-process random key in `test` (no
    /// fixed key outside development), the public development key in development.
    private static func secret(_ variables: ConfigurationVariables) throws -> String {
        if let secret = variables.value("JWT_SECRET") {
            guard secret.utf8.count >= 32 else {
                throw ConfigurationError(variable: "JWT_SECRET", value: nil, problem: "must be at least 32 bytes")
            }
            guard !(variables.production && secret.contains(developmentJWTSecret)) else {
                throw ConfigurationError(variable: "JWT_SECRET", value: nil, problem: "the development secret is refused in production")
            }
            // 32 random bytes written as hex or Base64 show at least 12 different characters (hex: all 16, almost
            // always); a repeated or patterned value does not, and is no key.
            guard !(variables.production && Set(secret.unicodeScalars).count < minimumDistinctCharacters) else {
                throw ConfigurationError(
                    variable: "JWT_SECRET", value: nil,
                    problem: "looks weak (fewer than \(minimumDistinctCharacters) different characters); use 32 random bytes, e.g. openssl rand -base64 32")
            }
            return secret
        }
        switch variables.environment {
        case .production: throw ConfigurationError(variable: "JWT_SECRET", value: nil, problem: "required in production (at least 32 random bytes)")
        case .test: return processTestSecret
        case .development: return developmentJWTSecret
        }
    }

    /// `JWT_PREVIOUS_KEYS`: `kid=secret` entries, none with the current key's id.
    private static func previousKeys(_ variables: ConfigurationVariables, currentKeyID: String) throws -> [TokenService.SigningKey] {
        var previous: [TokenService.SigningKey] = []
        for entry in (variables.value("JWT_PREVIOUS_KEYS") ?? "").split(separator: ",") {
            let pair = entry.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, isKeyID(pair[0]) else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS", value: nil, problem: "expected kid=secret entries separated by commas")
            }
            guard pair[1].utf8.count >= 32 else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS", value: nil, problem: "the secret of '\(pair[0])' must be at least 32 bytes")
            }
            previous.append(TokenService.SigningKey(id: pair[0], secret: pair[1]))
        }
        if previous.contains(where: { $0.id == currentKeyID }) {
            throw ConfigurationError(
                variable: "JWT_PREVIOUS_KEYS", value: nil,
                problem: "a previous key has the current key's id '\(currentKeyID)'; give each key its own JWT_KEY_ID")
        }
        return previous
    }

    /// `JWT_PREVIOUS_KEYS_VALID_UNTIL`: required exactly when there are previous keys, at most 30 days ahead.
    private static func gracePeriodEnd(_ variables: ConfigurationVariables, hasPreviousKeys: Bool) throws -> Date? {
        guard let raw = variables.value("JWT_PREVIOUS_KEYS_VALID_UNTIL") else {
            guard !hasPreviousKeys else {
                throw ConfigurationError(
                    variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: nil, problem: "required with JWT_PREVIOUS_KEYS (when the old keys stop verifying)")
            }
            return nil
        }
        guard hasPreviousKeys else {
            throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "has no JWT_PREVIOUS_KEYS to end the grace period of")
        }
        guard let until = try? Date(raw, strategy: .iso8601) else {
            throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "expected an RFC 3339 instant like 2026-12-01T00:00:00Z")
        }
        guard until.timeIntervalSinceNow <= 30 * 86_400 else {
            throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "a grace period ends at most 30 days ahead")
        }
        return until
    }
}

import Foundation
import Logging

/// Everything the service needs to start, read from environment variables (and overridden by CLI flags).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `ILLAJWALA_ENV` | `development`, `test` or `production` | `development` |
/// | `HOST`, `PORT` | listen address | `127.0.0.1`, `8080` |
/// | `DATABASE_URL` | see ``DatabaseURL`` | `sqlite::memory:` in development/test; required in production |
/// | `JWT_SECRET` | HS256 key, ≥ 32 bytes | a fixed public key in development, a random per-process key in `test`; required in production |
/// | `JWT_KEY_ID` | `kid` of the tokens `JWT_SECRET` signs | `k-` + 12 hex digits of SHA-256 of the secret |
/// | `JWT_PREVIOUS_KEYS` | keys of earlier rotations, verify-only: `kid=secret` entries separated by commas | none |
/// | `JWT_PREVIOUS_KEYS_VALID_UNTIL` | RFC 3339 instant ending their grace period; required with `JWT_PREVIOUS_KEYS`, at most 30 days ahead | none |
/// | `JWT_ISSUER`, `JWT_AUDIENCE` | `iss`/`aud` claims | `illajwala-api`, `illajwala-clients` |
/// | `ACCESS_TOKEN_TTL_SECONDS` | access-token lifetime, 60–86400 | 900 |
/// | `REFRESH_TOKEN_TTL_SECONDS` | refresh-token lifetime, 3600–7776000 | 1209600 (14 days) |
/// | `BCRYPT_COST` | 4–31; ≥ 12 in production | 12 (4 in `test`) |
/// | `PAYMENT_GATEWAY`, `PAYMENT_GATEWAY_URL`, `PAYMENT_GATEWAY_TIMEOUT_MS` | see ``PaymentGatewayConfiguration`` | `sandbox` outside production; `razorpay` required in production |
/// | `PAYMENT_KEY_ID`, `PAYMENT_KEY_SECRET`, `PAYMENT_WEBHOOK_SECRET` | gateway credentials | development values with the sandbox; required with razorpay |
/// | `LOG_FORMAT` | `json` (one object per line) or `text` | `json` in production, `text` otherwise |
/// | `LOG_LEVEL` | swift-log level; `trace` (SQL with its values) is refused in production | `info` (`warning` in `test`) |
/// | `DATABASE_POOL_SIZE` | PostgreSQL pool connections, 1–200 | 10 |
/// | `DATABASE_STATEMENT_TIMEOUT_MS` | PostgreSQL statement timeout, 100–600000 ms | 5000 |
/// | `DATABASE_ACQUIRE_TIMEOUT_MS` | how long a request waits for a PostgreSQL connection before 503 SERVICE_UNAVAILABLE (e.g. while the database is down), 100–600000 ms | 5000 |
/// | `MAX_BODY_BYTES` | largest request body, 1024–67108864 bytes (413 above) | 1048576 (1 MiB) |
/// | `TRUSTED_PROXIES` | comma-separated proxy addresses or CIDR blocks (`10.0.0.0/8, ::1`) whose `X-Forwarded-For` is believed | none |
/// | `RATE_LIMIT_STORE` | `memory` (one instance) or `database` (shared by every instance on the database) | `memory` |
/// | `RATE_LIMIT_LOGIN_FAILURES` | failed logins per 15 min per client address and per account, 1–100000 | 5 |
/// | `RATE_LIMIT_REGISTRATIONS_PER_MINUTE` | registrations per minute per client, 1–1000000 | 60 |
/// | `RATE_LIMIT_PAYMENTS_PER_MINUTE` | `/api/payments*` requests (webhook exempt) per minute per client, 1–1000000 | 10 |
/// | `RATE_LIMIT_API_PER_MINUTE` | requests to every other `/api` route per minute per client, 1–1000000 | 100 |
/// | `HTTP_IDLE_TIMEOUT_SECONDS` | a connection that sends nothing for this long is closed — idle keep-alive, or a request whose head or body stalls (slow-body clients), 1–3600 | 30 |
/// | `SHUTDOWN_DRAIN_SECONDS` | after SIGTERM/SIGINT, how long readiness answers 503 while requests are still served, so load balancers stop routing here first, 0–120 | 5 in production, 0 otherwise |
/// | `SHUTDOWN_TIMEOUT_SECONDS` | then how long in-flight requests may take to finish before they are cancelled, 1–600 | 25 |
/// | `CORS_ALLOWED_ORIGINS` | comma-separated browser origins (`https://app.example.com`) allowed cross-origin, with credentials | `http://localhost:3000` in development, none otherwise |
public struct ServerConfiguration: Sendable {
    public enum Environment: String, Sendable, CaseIterable {
        case development, test, production
    }

    public var environment: Environment
    public var host: String
    public var port: Int
    public var databaseURL: DatabaseURL
    public var jwtSecret: String
    /// The `kid` of tokens signed with ``jwtSecret`` (`nil`: derived from the secret).
    public var jwtKeyID: String?
    /// Verify-only keys of earlier rotations.
    public var jwtPreviousKeys: [TokenService.SigningKey]
    /// When ``jwtPreviousKeys`` stop verifying.
    public var jwtPreviousKeysValidUntil: Date?
    public var jwtIssuer: String
    public var jwtAudience: String
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: Int
    /// Refresh-token lifetime in seconds.
    public var refreshTokenTTL: Int
    public var bcryptCost: Int
    public var payments: PaymentGatewayConfiguration
    public var logLevel: Logger.Level
    /// How `illajwala-api` writes its log lines.
    public var logFormat: LogFormat

    /// Log line format (`LOG_FORMAT`).
    public enum LogFormat: String, Sendable, CaseIterable {
        /// ``JSONLogHandler``: one JSON object per line, for log shippers.
        case json
        /// swift-log's readable lines, for people at a terminal.
        case text
    }
    /// Driver tuning (PostgreSQL pool size and statement timeout).
    public var databaseOptions: BookingDatabase.Options
    /// Origins (`scheme://host[:port]`, lower-case) browsers may call the API from, credentials included.
    public var corsAllowedOrigins: Set<String>
    /// Largest request body in bytes (413 above).
    public var maxBodyBytes: Int
    /// Rate limits per rule (API.md "Security envelope").
    public var rateLimits: RateLimitPolicy
    /// Where rate-limit counters live.
    public var rateLimitStore: RateLimitStoreKind
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: [IPAddressRange]
    /// A connection idle this long — between requests, or while a request head or body stalls — is closed.
    public var httpIdleTimeout: Duration
    /// After a termination signal, how long readiness fails while requests are still served.
    public var shutdownDrainDelay: Duration
    /// Then how long in-flight requests may take before they are cancelled.
    public var shutdownTimeout: Duration

    /// Where rate-limit counters live (`RATE_LIMIT_STORE`).
    public enum RateLimitStoreKind: String, Sendable, CaseIterable {
        /// ``InMemoryRateLimitStore``: one service instance.
        case memory
        /// ``DatabaseRateLimitStore``: shared by every instance on the database.
        case database
    }

    /// Whether `id` is a usable `kid`: 1–64 characters of `A-Z a-z 0-9 . _ -`.
    static func isKeyID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// The default body limit: 1 MiB (API.md "Error codes").
    public static let defaultMaxBodyBytes = 1 << 20

    /// Development-only secrets. Never valid in production (start-up refuses them there).
    public static let developmentJWTSecret = "dev-only-jwt-secret-0123456789abcdef0123456789abcdef"
    /// The `test` environment's signing key when `JWT_SECRET` is unset: 32 random bytes drawn once per process, so
    /// every server of one test process verifies the others' tokens and no fixed key exists outside development.
    static let processTestSecret = Base64URL.random(bytes: 32)

    /// Every variable this configuration reads (the table above), for tools that check names before use.
    public static let variableNames: Set<String> = [
        "ILLAJWALA_ENV", "HOST", "PORT", "DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_STATEMENT_TIMEOUT_MS", "DATABASE_ACQUIRE_TIMEOUT_MS", "JWT_SECRET",
        "JWT_KEY_ID", "JWT_PREVIOUS_KEYS", "JWT_PREVIOUS_KEYS_VALID_UNTIL", "JWT_ISSUER", "JWT_AUDIENCE", "ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS", "BCRYPT_COST", "PAYMENT_GATEWAY",
        "PAYMENT_GATEWAY_URL", "PAYMENT_GATEWAY_TIMEOUT_MS", "PAYMENT_KEY_ID", "PAYMENT_KEY_SECRET", "PAYMENT_WEBHOOK_SECRET", "LOG_LEVEL", "LOG_FORMAT", "CORS_ALLOWED_ORIGINS",
        "MAX_BODY_BYTES", "TRUSTED_PROXIES", "RATE_LIMIT_STORE", "RATE_LIMIT_LOGIN_FAILURES",
        "RATE_LIMIT_REGISTRATIONS_PER_MINUTE", "RATE_LIMIT_PAYMENTS_PER_MINUTE", "RATE_LIMIT_API_PER_MINUTE",
        "HTTP_IDLE_TIMEOUT_SECONDS", "SHUTDOWN_DRAIN_SECONDS", "SHUTDOWN_TIMEOUT_SECONDS",
    ]

    /// Reads the configuration from `environment` (defaults to the process environment).
    /// - Throws: ``ConfigurationError`` naming the first bad variable.
    public init(environment variables: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ name: String) -> String? {
            guard let raw = variables[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw ConfigurationError(
                    variable: name, value: raw,
                    problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        let envName = value("ILLAJWALA_ENV") ?? "development"
        guard let environment = Environment(rawValue: envName) else {
            throw ConfigurationError(
                variable: "ILLAJWALA_ENV", value: envName, problem: "expected development, test or production")
        }
        self.environment = environment
        let production = environment == .production
        let levelName = value("LOG_LEVEL") ?? (environment == .test ? "warning" : "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL", value: levelName,
                problem: "expected one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        // trace makes the database drivers log every statement with its bound values (e-mails, password hashes).
        if production && level == .trace {
            throw ConfigurationError(
                variable: "LOG_LEVEL", value: levelName, problem: "trace logs SQL with its values (personal data) and is refused in production")
        }
        self.logLevel = level
        let formatName = value("LOG_FORMAT") ?? (production ? "json" : "text")
        guard let format = LogFormat(rawValue: formatName) else {
            throw ConfigurationError(variable: "LOG_FORMAT", value: formatName, problem: "expected json or text")
        }
        self.logFormat = format

        self.host = value("HOST") ?? "127.0.0.1"
        self.port = try integer("PORT", default: 8080, range: 0...65535)

        if let raw = value("DATABASE_URL") {
            self.databaseURL = try DatabaseURL(parsing: raw)
            if production, case .postgres = self.databaseURL {
            } else if production {
                throw ConfigurationError(
                    variable: "DATABASE_URL", value: nil,
                    problem: "production needs PostgreSQL (postgres://…): an embedded SQLite file is one instance's, with no backups or failover")
            }
        } else if production {
            throw ConfigurationError(variable: "DATABASE_URL", value: nil, problem: "required in production")
        } else {
            self.databaseURL = .sqliteMemory
        }

        if let secret = value("JWT_SECRET") {
            guard secret.utf8.count >= 32 else {
                throw ConfigurationError(variable: "JWT_SECRET", value: nil, problem: "must be at least 32 bytes")
            }
            guard !(production && secret == Self.developmentJWTSecret) else {
                throw ConfigurationError(
                    variable: "JWT_SECRET", value: nil, problem: "the development secret is refused in production")
            }
            self.jwtSecret = secret
        } else if production {
            throw ConfigurationError(
                variable: "JWT_SECRET", value: nil, problem: "required in production (at least 32 random bytes)")
        } else if environment == .test {
            // No fixed key outside development: a test process signs with a key nobody else knows.
            self.jwtSecret = Self.processTestSecret
        } else {
            self.jwtSecret = Self.developmentJWTSecret
        }
        self.jwtKeyID = try value("JWT_KEY_ID").map { id in
            guard Self.isKeyID(id) else {
                throw ConfigurationError(variable: "JWT_KEY_ID", value: id, problem: "expected 1–64 characters of A-Z a-z 0-9 . _ -")
            }
            return id
        }
        var previous: [TokenService.SigningKey] = []
        for entry in (value("JWT_PREVIOUS_KEYS") ?? "").split(separator: ",") {
            let pair = entry.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, Self.isKeyID(pair[0]) else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS", value: nil, problem: "expected kid=secret entries separated by commas")
            }
            guard pair[1].utf8.count >= 32 else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS", value: nil, problem: "the secret of '\(pair[0])' must be at least 32 bytes")
            }
            previous.append(TokenService.SigningKey(id: pair[0], secret: pair[1]))
        }
        let currentKeyID = self.jwtKeyID ?? TokenService.SigningKey(secret: self.jwtSecret).id
        if previous.contains(where: { $0.id == currentKeyID }) {
            throw ConfigurationError(
                variable: "JWT_PREVIOUS_KEYS", value: nil, problem: "a previous key has the current key's id '\(currentKeyID)'; give each key its own JWT_KEY_ID")
        }
        self.jwtPreviousKeys = previous
        if let raw = value("JWT_PREVIOUS_KEYS_VALID_UNTIL") {
            guard !previous.isEmpty else {
                throw ConfigurationError(
                    variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "has no JWT_PREVIOUS_KEYS to end the grace period of")
            }
            guard let until = try? Date(raw, strategy: .iso8601) else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "expected an RFC 3339 instant like 2026-12-01T00:00:00Z")
            }
            guard until.timeIntervalSinceNow <= 30 * 86_400 else {
                throw ConfigurationError(variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: raw, problem: "a grace period ends at most 30 days ahead")
            }
            self.jwtPreviousKeysValidUntil = until
        } else if !previous.isEmpty {
            throw ConfigurationError(
                variable: "JWT_PREVIOUS_KEYS_VALID_UNTIL", value: nil, problem: "required with JWT_PREVIOUS_KEYS (when the old keys stop verifying)")
        } else {
            self.jwtPreviousKeysValidUntil = nil
        }
        self.jwtIssuer = value("JWT_ISSUER") ?? "illajwala-api"
        self.jwtAudience = value("JWT_AUDIENCE") ?? "illajwala-clients"
        self.accessTokenTTL = try integer("ACCESS_TOKEN_TTL_SECONDS", default: 900, range: 60...86_400)
        self.refreshTokenTTL = try integer("REFRESH_TOKEN_TTL_SECONDS", default: 1_209_600, range: 3_600...7_776_000)
        self.bcryptCost = try integer("BCRYPT_COST", default: environment == .test ? 4 : 12, range: 4...31)
        if production && bcryptCost < 12 {
            throw ConfigurationError(variable: "BCRYPT_COST", value: String(bcryptCost), problem: "must be at least 12 in production")
        }
        self.databaseOptions = BookingDatabase.Options(
            poolSize: try integer("DATABASE_POOL_SIZE", default: 10, range: 1...200),
            statementTimeoutMilliseconds: try integer("DATABASE_STATEMENT_TIMEOUT_MS", default: 5_000, range: 100...600_000),
            acquireTimeoutMilliseconds: try integer("DATABASE_ACQUIRE_TIMEOUT_MS", default: 5_000, range: 100...600_000))
        self.payments = try PaymentGatewayConfiguration(variables: variables, production: production)
        let origins = value("CORS_ALLOWED_ORIGINS") ?? (environment == .development ? "http://localhost:3000" : "")
        self.corsAllowedOrigins = try Set(origins.split(separator: ",").map { entry in
            let origin = entry.trimmingCharacters(in: .whitespaces)
            guard let normalized = CORSMiddleware.normalizedOrigin(origin) else {
                throw ConfigurationError(
                    variable: "CORS_ALLOWED_ORIGINS", value: origin,
                    problem: "expected origins like https://app.example.com (scheme, host and optional port; no path, no '*')")
            }
            return normalized
        })

        self.maxBodyBytes = try integer("MAX_BODY_BYTES", default: Self.defaultMaxBodyBytes, range: 1_024...67_108_864)
        self.httpIdleTimeout = .seconds(try integer("HTTP_IDLE_TIMEOUT_SECONDS", default: 30, range: 1...3_600))
        self.shutdownDrainDelay = .seconds(try integer("SHUTDOWN_DRAIN_SECONDS", default: environment == .production ? 5 : 0, range: 0...120))
        self.shutdownTimeout = .seconds(try integer("SHUTDOWN_TIMEOUT_SECONDS", default: 25, range: 1...600))
        self.rateLimits = RateLimitPolicy(
            loginFailures: try integer("RATE_LIMIT_LOGIN_FAILURES", default: 5, range: 1...100_000),
            registrationsPerMinute: try integer("RATE_LIMIT_REGISTRATIONS_PER_MINUTE", default: 60, range: 1...1_000_000),
            paymentsPerMinute: try integer("RATE_LIMIT_PAYMENTS_PER_MINUTE", default: 10, range: 1...1_000_000),
            apiPerMinute: try integer("RATE_LIMIT_API_PER_MINUTE", default: 100, range: 1...1_000_000))
        let storeName = value("RATE_LIMIT_STORE") ?? "memory"
        guard let store = RateLimitStoreKind(rawValue: storeName) else {
            throw ConfigurationError(variable: "RATE_LIMIT_STORE", value: storeName, problem: "expected memory or database")
        }
        self.rateLimitStore = store
        switch ClientAddressResolver.parseList(value("TRUSTED_PROXIES") ?? "") {
        case .success(let ranges):
            // A block wider than /8 is no proxy list (0.0.0.0/1 and 128.0.0.0/1 together trust everyone): any client
            // could then choose its own address.
            if let tooWide = ranges.first(where: { $0.prefixLength < 8 }) {
                throw ConfigurationError(
                    variable: "TRUSTED_PROXIES", value: tooWide.description,
                    problem: "blocks wider than /8 trust almost every address, so clients could pick their own; list your proxies")
            }
            self.trustedProxies = ranges
        case .failure(let bad):
            throw ConfigurationError(
                variable: "TRUSTED_PROXIES", value: bad.text,
                problem: "expected IP addresses or CIDR blocks like 10.0.0.0/8 or ::1, separated by commas")
        }

    }
}

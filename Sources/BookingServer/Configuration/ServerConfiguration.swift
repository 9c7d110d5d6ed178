import Foundation
import Logging

/// Everything the service needs to start, read from environment variables (and overridden by CLI flags).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `ILLAJWALA_ENV` | `development`, `test` or `production` | `development` |
/// | `HOST`, `PORT` | listen address | `127.0.0.1`, `8080` |
/// | `DATABASE_URL` | see ``DatabaseURL`` | `sqlite::memory:` in development/test; required in production |
/// | `JWT_SECRET` | HS256 key, ≥ 32 bytes | a fixed development key outside production; required in production |
/// | `JWT_ISSUER`, `JWT_AUDIENCE` | `iss`/`aud` claims | `illajwala-api`, `illajwala-clients` |
/// | `ACCESS_TOKEN_TTL_SECONDS` | access-token lifetime, 60–86400 | 900 |
/// | `REFRESH_TOKEN_TTL_SECONDS` | refresh-token lifetime, 3600–7776000 | 1209600 (14 days) |
/// | `BCRYPT_COST` | 4–31; ≥ 12 in production | 12 (4 in `test`) |
/// | `PAYMENT_GATEWAY` | `sandbox` (never in production) | `sandbox` outside production |
/// | `PAYMENT_KEY_ID`, `PAYMENT_KEY_SECRET`, `PAYMENT_WEBHOOK_SECRET` | gateway credentials | development values outside production |
/// | `LOG_LEVEL` | swift-log level | `info` (`warning` in `test`) |
/// | `DATABASE_POOL_SIZE` | PostgreSQL pool connections, 1–200 | 10 |
/// | `DATABASE_STATEMENT_TIMEOUT_MS` | PostgreSQL statement timeout, 100–600000 ms | 5000 |
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
    public var jwtIssuer: String
    public var jwtAudience: String
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: Int
    /// Refresh-token lifetime in seconds.
    public var refreshTokenTTL: Int
    public var bcryptCost: Int
    public var payments: PaymentGatewayConfiguration
    public var logLevel: Logger.Level
    /// Driver tuning (PostgreSQL pool size and statement timeout).
    public var databaseOptions: BookingDatabase.Options
    /// Origins (`scheme://host[:port]`, lower-case) browsers may call the API from, credentials included.
    public var corsAllowedOrigins: Set<String>

    /// Development-only secrets. Never valid in production (start-up refuses them there).
    public static let developmentJWTSecret = "dev-only-jwt-secret-0123456789abcdef0123456789abcdef"

    /// Reads the configuration from `environment` (defaults to the process environment).
    /// - Throws: ``ConfigurationError`` naming the first bad variable.
    /// Every variable this configuration reads (the table above), for tools that check names before use.
    public static let variableNames: Set<String> = [
        "ILLAJWALA_ENV", "HOST", "PORT", "DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_STATEMENT_TIMEOUT_MS", "JWT_SECRET",
        "JWT_ISSUER", "JWT_AUDIENCE", "ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS", "BCRYPT_COST", "PAYMENT_GATEWAY",
        "PAYMENT_KEY_ID", "PAYMENT_KEY_SECRET", "PAYMENT_WEBHOOK_SECRET", "LOG_LEVEL", "CORS_ALLOWED_ORIGINS",
    ]

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

        self.host = value("HOST") ?? "127.0.0.1"
        self.port = try integer("PORT", default: 8080, range: 0...65535)

        if let raw = value("DATABASE_URL") {
            self.databaseURL = try DatabaseURL(parsing: raw)
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
        } else {
            self.jwtSecret = Self.developmentJWTSecret
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
            statementTimeoutMilliseconds: try integer("DATABASE_STATEMENT_TIMEOUT_MS", default: 5_000, range: 100...600_000))
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

        let levelName = value("LOG_LEVEL") ?? (environment == .test ? "warning" : "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL", value: levelName,
                problem: "expected one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.logLevel = level
    }
}

import Foundation

/// Where the service listens and what it accepts from clients.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `HOST`, `PORT` | listen address | `127.0.0.1`, `8080` |
/// | `MAX_BODY_BYTES` | largest request body, 1024–67108864 bytes (413 above) | 1048576 (1 MiB) |
/// | `HTTP_IDLE_TIMEOUT_SECONDS` | a connection that sends nothing for this long is closed — idle keep-alive, or a request whose head or body stalls (slow-body clients), 1–3600 | 30 |
/// | `CORS_ALLOWED_ORIGINS` | comma-separated browser origins (`https://app.example.com`) allowed cross-origin, with credentials | `http://localhost:3000` in development, none otherwise |
/// | `TRUSTED_PROXIES` | comma-separated proxy addresses or CIDR blocks (`10.0.0.0/8, ::1`) whose `X-Forwarded-For` is believed | none |
public struct HTTPSettings: ConfigurationSection {
    public static let variableNames = ["HOST", "PORT", "MAX_BODY_BYTES", "HTTP_IDLE_TIMEOUT_SECONDS", "CORS_ALLOWED_ORIGINS", "TRUSTED_PROXIES"]

    /// The default body limit: 1 MiB (API.md "Error codes").
    public static let defaultMaxBodyBytes = 1 << 20

    /// Listen address.
    public var host: String
    /// Listen port (0: any free port).
    public var port: Int
    /// Largest request body in bytes (413 above).
    public var maxBodyBytes: Int
    /// A connection idle this long — between requests, or while a request head or body stalls — is closed.
    public var idleTimeout: Duration
    /// Origins (`scheme://host[:port]`, lower-case) browsers may call the API from, credentials included.
    public var corsAllowedOrigins: Set<String>
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: [IPAddressRange]

    /// - Throws: ``ConfigurationError`` for a port, limit or timeout out of range, an origin that is not
    ///   `scheme://host[:port]`, or a proxy list that is not addresses and CIDR blocks of at most /8.
    public init(_ variables: ConfigurationVariables) throws {
        host = variables.value("HOST") ?? "127.0.0.1"
        port = try variables.integer("PORT", default: 8080, range: 0...65535)
        maxBodyBytes = try variables.integer("MAX_BODY_BYTES", default: Self.defaultMaxBodyBytes, range: 1_024...67_108_864)
        idleTimeout = try variables.seconds("HTTP_IDLE_TIMEOUT_SECONDS", default: 30, range: 1...3_600)
        corsAllowedOrigins = try Self.origins(variables.value("CORS_ALLOWED_ORIGINS") ?? (variables.environment == .development ? "http://localhost:3000" : ""))
        trustedProxies = try Self.proxies(variables.value("TRUSTED_PROXIES") ?? "")
    }

    /// `CORS_ALLOWED_ORIGINS` normalized (``CrossOriginMiddleware/normalizedOrigin(_:)``).
    private static func origins(_ list: String) throws -> Set<String> {
        try Set(
            list.split(separator: ",").map { entry in
                let origin = entry.trimmingCharacters(in: .whitespaces)
                guard let normalized = CrossOriginMiddleware.normalizedOrigin(origin) else {
                    throw ConfigurationError(
                        variable: "CORS_ALLOWED_ORIGINS", value: origin,
                        problem: "expected origins like https://app.example.com (scheme, host and optional port; no path, no '*')")
                }
                return normalized
            })
    }

    /// `TRUSTED_PROXIES` as address ranges. A block wider than /8 is no proxy list (0.0.0.0/1 and 128.0.0.0/1
    /// together trust everyone): any client could then choose its own address.
    private static func proxies(_ list: String) throws -> [IPAddressRange] {
        switch ClientAddressResolver.parseList(list) {
        case .success(let ranges):
            if let tooWide = ranges.first(where: { $0.prefixLength < 8 }) {
                throw ConfigurationError(
                    variable: "TRUSTED_PROXIES", value: tooWide.description,
                    problem: "blocks wider than /8 trust almost every address, so clients could pick their own; list your proxies")
            }
            return ranges
        case .failure(let bad):
            throw ConfigurationError(
                variable: "TRUSTED_PROXIES", value: bad.text, problem: "expected IP addresses or CIDR blocks like 10.0.0.0/8 or ::1, separated by commas")
        }
    }
}

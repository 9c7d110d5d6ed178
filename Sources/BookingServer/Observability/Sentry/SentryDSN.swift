import Foundation

/// A Sentry project's Data Source Name, `SCHEME://PUBLIC_KEY@HOST[:PORT][/PATH]/PROJECT_ID` (Sentry's SDK development
/// guide, "Overview" → "Parsing the DSN"): where to send events (``envelopeURL``) and the key that authenticates them
/// (``publicKey``, sent in `X-Sentry-Auth`). `PATH` is the prefix of a Sentry served below the root of its host
/// (self-hosted behind a reverse proxy); the project id is the last path segment.
///
/// The legacy secret key (`PUBLIC_KEY:SECRET_KEY@…`) is refused: Sentry has ignored it since version 9 and it would
/// only be one more secret in the environment.
public struct SentryDSN: Sendable, Hashable, CustomStringConvertible {
    /// `https` (or `http` to a loopback Sentry or relay; production refuses other plain-http hosts).
    public let scheme: String
    /// The project's public key (`sentry_key` of `X-Sentry-Auth`).
    public let publicKey: String
    /// The host name or address (IPv6 in brackets as written).
    public let host: String
    /// The port when the DSN names one.
    public let port: Int?
    /// The path before the project id, without a trailing slash (`""` for a Sentry at the root of its host).
    public let pathPrefix: String
    /// The numeric project id.
    public let projectID: String

    /// Why a text is not a DSN; ``description`` is the sentence an operator reads.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a URL with a scheme and a host.
        case notAURL
        /// The scheme is neither `https` nor `http`.
        case unsupportedScheme(String)
        /// Nothing before `@`.
        case missingPublicKey
        /// `PUBLIC_KEY:SECRET_KEY@` (the deprecated secret key).
        case secretKeyPresent
        /// No path segment after the host.
        case missingProjectID
        /// The last path segment is not a whole number.
        case projectIDNotNumeric(String)
        /// A query string or fragment, which a DSN never has.
        case queryOrFragment

        public var description: String {
            switch self {
            case .notAURL: return "expected \(SentryDSN.form)"
            case .unsupportedScheme(let scheme): return "the scheme \(scheme) is not https or http (expected \(SentryDSN.form))"
            case .missingPublicKey: return "no public key before '@' (expected \(SentryDSN.form))"
            case .secretKeyPresent: return "remove the secret key after ':' (deprecated, ignored by Sentry; only the public key is needed)"
            case .missingProjectID: return "no project id at the end of the path (expected \(SentryDSN.form))"
            case .projectIDNotNumeric(let segment): return "the project id \(segment) is not a whole number (expected \(SentryDSN.form))"
            case .queryOrFragment: return "a DSN has no query string or fragment (expected \(SentryDSN.form))"
            }
        }
    }

    /// The DSN's shape, for messages.
    public static let form = "https://PUBLIC_KEY@HOST[:PORT][/PATH]/PROJECT_ID"

    /// Parses `text` (surrounding spaces ignored).
    /// - Throws: ``ParseError`` saying what is wrong.
    public init(_ text: String) throws(ParseError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), components.host != nil,
            text.contains("://")
        else { throw .notAURL }
        guard scheme == "https" || scheme == "http" else { throw .unsupportedScheme(scheme) }
        guard components.query == nil, components.fragment == nil else { throw .queryOrFragment }
        guard let user = components.user, !user.isEmpty else { throw .missingPublicKey }
        guard components.password == nil else { throw .secretKeyPresent }
        guard let host = components.host, !host.isEmpty else { throw .notAURL }
        var segments = components.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let project = segments.popLast() else { throw .missingProjectID }
        guard !project.isEmpty, project.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .projectIDNotNumeric(project) }
        self.scheme = scheme
        self.publicKey = user
        self.host = host
        self.port = components.port
        self.pathPrefix = segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
        self.projectID = project
    }

    /// The host with the port when there is one, as in a URL (`sentry.example.org:9000`; IPv6 in brackets).
    public var authority: String {
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        return port.map { "\(host):\($0)" } ?? host
    }

    /// Where envelopes are posted: `SCHEME://HOST[:PORT][/PATH]/api/PROJECT_ID/envelope/` (Sentry's "Envelopes"
    /// page: `POST /api/<project_id>/envelope/`).
    public var envelopeURL: String { "\(scheme)://\(authority)\(pathPrefix)/api/\(projectID)/envelope/" }

    /// The DSN in its canonical form (the envelope header's `dsn`): public key, host, port, path and project id.
    public var description: String { "\(scheme)://\(publicKey)@\(authority)\(pathPrefix)/\(projectID)" }

    /// Whether events go to this machine (plain http is accepted there in production: a local relay or a test double).
    public var isLoopback: Bool { ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) }

    /// `text` with its key replaced by `***`, for error messages and logs (a DSN's key lets anyone send events to the
    /// project): whatever stands between the scheme (`https://`, or a malformed `https:/`) and the last `@`; without
    /// an `@`, everything after the scheme but the last path segment — a value that is not a DSN may still hold a key.
    public static func redacted(_ text: String) -> String {
        let schemeEnd = text.range(of: "://")?.upperBound ?? text.range(of: ":/")?.upperBound ?? text.startIndex
        if let at = text.range(of: "@", options: .backwards), schemeEnd <= at.lowerBound {
            return String(text[..<schemeEnd]) + "***" + String(text[at.lowerBound...])
        }
        guard schemeEnd < text.endIndex else { return text }
        let lastSlash = text.range(of: "/", options: .backwards, range: schemeEnd..<text.endIndex)?.lowerBound ?? text.endIndex
        return String(text[..<schemeEnd]) + "***" + String(text[lastSlash...])
    }
}

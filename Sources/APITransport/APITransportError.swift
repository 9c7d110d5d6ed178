import Foundation

/// Why a request produced no HTTP response at all (as opposed to an error status).
public struct APITransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The connection was refused or the host could not be reached.
        case unreachable
        /// No complete response arrived within the request's timeout.
        case timeout
        /// TLS negotiation or certificate validation failed.
        case tls
        /// The request could not be built (bad URL) or another transport failure.
        case other
    }

    public var kind: Kind
    public var message: String
    public var url: URL

    public init(kind: Kind, message: String, url: URL) {
        self.kind = kind
        self.message = message
        self.url = url
    }

    public var description: String { "\(kind.rawValue): \(message) (\(url.absoluteString))" }
}

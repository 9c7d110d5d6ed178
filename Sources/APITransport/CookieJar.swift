import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The cookies one API session has received, sent back on later requests whose path they cover
/// (RFC 6265 §5.4: path match, expiry; `Secure` cookies only over HTTPS). Parsing of `Set-Cookie` is
/// Foundation's `HTTPCookie`.
public final class CookieJar: Sendable {
    /// A stored cookie.
    public struct Cookie: Sendable, Equatable {
        public var name: String
        public var value: String
        public var path: String
        public var expires: Date?
        public var isSecure: Bool
        public var isHTTPOnly: Bool
    }

    private let cookies = Mutex<[String: Cookie]>([:])

    public init() {}

    /// Every cookie held now (expired ones dropped).
    public var all: [Cookie] {
        let now = Date()
        return cookies.withLock { $0.values.filter { $0.expires.map { $0 > now } ?? true }.sorted { $0.name < $1.name } }
    }

    /// The value of the cookie called `name`, if held and not expired.
    public func value(_ name: String) -> String? { all.first { $0.name == name }?.value }

    /// Stores the cookies of a response to `url` (a cookie with `Max-Age=0` or a past expiry removes one).
    public func store(from response: APIResponse, for url: URL) {
        let fields = response.headers.filter { $0.name.caseInsensitiveCompare("set-cookie") == .orderedSame }
        guard !fields.isEmpty else { return }
        let header = ["Set-Cookie": fields.map(\.value).joined(separator: ",")]
        let received = HTTPCookie.cookies(withResponseHeaderFields: header, for: url)
        let now = Date()
        cookies.withLock { stored in
            for cookie in received {
                let kept = Cookie(
                    name: cookie.name, value: cookie.value, path: cookie.path.isEmpty ? "/" : cookie.path,
                    expires: cookie.expiresDate, isSecure: cookie.isSecure, isHTTPOnly: cookie.isHTTPOnly)
                if let expires = kept.expires, expires <= now {
                    stored[cookie.name] = nil
                } else {
                    stored[cookie.name] = kept
                }
            }
        }
    }

    /// The `Cookie` header for a request to `url`, or `nil` when no cookie applies.
    public func header(for url: URL) -> String? {
        let path = url.path.isEmpty ? "/" : url.path
        let secure = url.scheme?.lowercased() == "https"
        let matching = all.filter { cookie in
            (secure || !cookie.isSecure)
                && (path == cookie.path || path.hasPrefix(cookie.path.hasSuffix("/") ? cookie.path : cookie.path + "/"))
        }
        guard !matching.isEmpty else { return nil }
        return matching.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// Forgets every cookie.
    public func removeAll() { cookies.withLock { $0 = [:] } }
}

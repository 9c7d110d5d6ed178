import FlowCore
import Foundation

/// The part of a recorded request URL that API coverage matches against path templates.
public enum RequestPath {
    /// The decoded path segments of `url` below `baseURL`, without the query or fragment, or `nil` when `url` is not
    /// under `baseURL` (another scheme, host or port, or outside the base path) or is not a URL.
    ///
    /// `http://h:8080/v1/api/doctors/7?x=1` under `http://h:8080/v1` gives `["api", "doctors", "7"]`. Empty segments
    /// are dropped; each segment is percent-decoded (kept as is when it does not decode).
    public static func segments(of url: String, under baseURL: String) -> [String]? {
        guard let request = URLComponents(string: url), let base = URLComponents(string: baseURL) else { return nil }
        guard request.scheme?.lowercased() == base.scheme?.lowercased(),
            request.host?.lowercased() == base.host?.lowercased(),
            effectivePort(request) == effectivePort(base)
        else { return nil }
        let requestSegments = split(request.percentEncodedPath)
        let baseSegments = split(base.percentEncodedPath)
        guard requestSegments.starts(with: baseSegments) else { return nil }
        return requestSegments.dropFirst(baseSegments.count).map { $0.removingPercentEncoding ?? $0 }
    }

    /// The decoded path segments of `url` whatever its host (for a run without a known base URL), or `nil` when it is
    /// not a URL.
    public static func segments(anyHostOf url: String) -> [String]? {
        guard let request = URLComponents(string: url) else { return nil }
        return split(request.percentEncodedPath).map { $0.removingPercentEncoding ?? $0 }
    }

    /// `/` followed by the segments joined with `/` (`/api/doctors/7`).
    public static func text(_ segments: [String]) -> String { "/" + segments.joined(separator: "/") }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func effectivePort(_ components: URLComponents) -> Int? {
        if let port = components.port { return port }
        switch components.scheme?.lowercased() {
        case "http": return 80
        case "https": return 443
        default: return nil
        }
    }
}

import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends raw HTTP requests with Foundation's URLSession (libcurl on Linux), without cookie storage,
/// caching or redirects, so that every caller sees exactly what the server answered.
///
/// Each transport owns its own URLSession; create one per independent actor (a flow, a test) so that
/// nothing is shared between them.
public final class HTTPTransport: Sendable {
    private let session: URLSession
    private let delegate: NoRedirectDelegate
    private let defaultTimeout: Duration

    /// - Parameter timeout: how long a request waits for its whole response unless ``send(_:timeout:)`` says.
    public init(timeout: Duration = .seconds(10)) {
        defaultTimeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = Self.wholeSeconds(timeout)
        configuration.timeoutIntervalForResource = Self.wholeSeconds(timeout)
        self.delegate = NoRedirectDelegate()
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns the response, whatever its status.
    /// - Parameter timeout: how long to wait for the whole response; `nil` keeps the transport's default.
    /// - Throws: ``APITransportError`` when no HTTP response arrived (refused, TLS, timeout).
    public func send(_ request: APIRequest, timeout: Duration? = nil) async throws(APITransportError) -> APIResponse {
        let limit = min(timeout ?? defaultTimeout, .seconds(86_400))
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        // libcurl (URLSession on Linux) counts its timeout in whole seconds and gives up at once below 1 s, so it
        // gets a whole-second ceiling and the exact limit is enforced here, by racing the request against a timer.
        urlRequest.timeoutInterval = Self.wholeSeconds(limit)
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        urlRequest.httpBody = request.body
        let started = ContinuousClock.now
        let outcome: (Data, URLResponse)
        let prepared = urlRequest
        do {
            outcome = try await Self.race(limit: limit, url: request.url) { [session] in try await session.data(for: prepared) }
        } catch let error as APITransportError {
            throw error
        } catch let error as URLError {
            throw APITransportError(kind: Self.kind(of: error), message: error.localizedDescription, url: request.url)
        } catch {
            throw APITransportError(kind: .other, message: String(describing: error), url: request.url)
        }
        let duration = started.duration(to: .now)
        guard let http = outcome.1 as? HTTPURLResponse else {
            throw APITransportError(kind: .other, message: "not an HTTP response", url: request.url)
        }
        var headers: [(name: String, value: String)] = []
        for (key, value) in http.allHeaderFields {
            guard let name = key as? String, let value = value as? String else { continue }
            headers.append((name: name.lowercased(), value: value))
        }
        headers.sort { $0.name < $1.name }
        return APIResponse(status: http.statusCode, headers: headers, body: outcome.0, duration: duration)
    }

    /// libcurl's timeout for `duration`: whole seconds, at least 1 (below 1 s it gives up at once).
    private static func wholeSeconds(_ duration: Duration) -> TimeInterval {
        max(1, TimeInterval(duration.components.seconds) + (duration.components.attoseconds > 0 ? 1 : 0))
    }

    /// The result of `operation`, or a `timeout` ``APITransportError`` once `limit` has passed (the operation is
    /// then cancelled).
    private static func race(
        limit: Duration, url: URL, _ operation: @escaping @Sendable () async throws -> (Data, URLResponse)
    ) async throws -> (Data, URLResponse) {
        try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw APITransportError(
                    kind: .timeout,
                    message: "no response within \(String(format: "%.3f", Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18)) s",
                    url: url)
            }
            return result
        }
    }

    private static func kind(of error: URLError) -> APITransportError.Kind {
        switch error.code {
        case .timedOut: return .timeout
        case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet, .dnsLookupFailed:
            return .unreachable
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return .tls
        default: return .other
        }
    }
}

/// Hands redirects back to the caller instead of following them.
private final class NoRedirectDelegate: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

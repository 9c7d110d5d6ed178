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

    /// - Parameter timeout: per-request timeout in seconds.
    public init(timeout: TimeInterval = 10) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        self.delegate = NoRedirectDelegate()
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns the response, whatever its status.
    /// - Parameter timeout: seconds to wait for the whole response; `nil` keeps the transport's default.
    /// - Throws: ``APITransportError`` when no HTTP response arrived (refused, TLS, timeout).
    public func send(_ request: APIRequest, timeout: TimeInterval? = nil) async throws(APITransportError) -> APIResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        if let timeout { urlRequest.timeoutInterval = timeout }
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        urlRequest.httpBody = request.body
        let started = Date()
        do {
            let (data, response) = try await session.data(for: urlRequest)
            let duration = Date().timeIntervalSince(started)
            guard let http = response as? HTTPURLResponse else {
                throw APITransportError(kind: .other, message: "not an HTTP response", url: request.url)
            }
            var headers: [(name: String, value: String)] = []
            for (key, value) in http.allHeaderFields {
                guard let name = key as? String, let value = value as? String else { continue }
                headers.append((name: name.lowercased(), value: value))
            }
            headers.sort { $0.name < $1.name }
            return APIResponse(status: http.statusCode, headers: headers, body: data, duration: duration)
        } catch let error as APITransportError {
            throw error
        } catch let error as URLError {
            throw APITransportError(kind: Self.kind(of: error), message: error.localizedDescription, url: request.url)
        } catch {
            throw APITransportError(kind: .other, message: String(describing: error), url: request.url)
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

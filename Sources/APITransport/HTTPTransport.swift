import Foundation
import Synchronization

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

    /// The result of `operation`, or a `timeout` ``APITransportError`` once `limit` has passed, or
    /// `CancellationError` as soon as the calling task is cancelled — whichever comes first. The caller never waits
    /// for the losers, and the operation is left to finish on its own (see below).
    private static func race(
        limit: Duration, url: URL, _ operation: @escaping @Sendable () async throws -> (Data, URLResponse)
    ) async throws -> (Data, URLResponse) {
        let outcome = RaceOutcome()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                Task {
                    do {
                        outcome.finish(.success(try await operation()))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
                    outcome.finish(.failure(APITransportError(kind: .timeout, message: "no response within \(String(format: "%.3f", seconds)) s", url: url)))
                }
                // The request's task is never cancelled: cancelling a task suspended in URLSession's `data(for:)`
                // while URLSession resumes it deadlocks swift-corelibs-foundation (the cancellation handler holds the
                // task's status lock and waits for URLSession's queue, which waits for that lock to resume the task).
                // A lost request ends by itself at libcurl's whole-second timeout; its answer is dropped.
                outcome.start(continuation) { timer.cancel() }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
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

/// The one outcome of ``HTTPTransport``'s race: the first of the response, the timeout and the caller's
/// cancellation resumes the caller, once; the losers are cancelled and their results dropped.
private final class RaceOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<(Data, URLResponse), any Error>?
        var result: Result<(Data, URLResponse), any Error>?
        var cancelLosers: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Hands over the caller's continuation and how to stop the racers; resumes at once when the race is already over.
    func start(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>, cancelLosers: @escaping @Sendable () -> Void) {
        let finished: Result<(Data, URLResponse), any Error>? = state.withLock { state in
            if let result = state.result { return result }
            state.continuation = continuation
            state.cancelLosers = cancelLosers
            return nil
        }
        if let finished {
            cancelLosers()
            continuation.resume(with: finished)
        }
    }

    /// The first call decides the outcome; later ones are ignored.
    func finish(_ result: Result<(Data, URLResponse), any Error>) {
        let waiting: (CheckedContinuation<(Data, URLResponse), any Error>, (@Sendable () -> Void)?)? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.cancelLosers)
        }
        guard let (continuation, cancelLosers) = waiting else { return }
        cancelLosers?()
        continuation.resume(with: result)
    }
}

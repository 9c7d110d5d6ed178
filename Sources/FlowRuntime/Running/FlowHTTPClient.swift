import APITransport
import FlowCore
import Foundation

/// Sends one HTTP request for the flow engine. ``HTTPTransport`` conforms; tests can supply canned responses.
public protocol FlowHTTPClient: Sendable {
    /// Sends `request` and returns the response, whatever its status.
    /// - Parameter timeout: longest wait for the whole response, in seconds.
    /// - Throws: ``APITransportError`` when no HTTP response arrived (refused, TLS failure, timeout).
    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse
}

extension FlowHTTPClient {
    /// Sends `request` with the default step timeout (10 s).
    public func perform(_ request: APIRequest) async throws(APITransportError) -> APIResponse {
        try await perform(request, timeout: FlowRunner.defaultStepTimeout)
    }
}

extension HTTPTransport: FlowHTTPClient {
    /// Sends `request`, waiting at most `timeout` seconds.
    public func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        try await send(request, timeout: timeout)
    }
}

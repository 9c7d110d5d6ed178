import IllajwalaTesting

/// Sends one HTTP request for the flow engine. ``HTTPTransport`` conforms; tests can supply canned responses.
public protocol FlowHTTPClient: Sendable {
    /// Sends `request` and returns the response, whatever its status.
    /// - Throws: ``APITransportError`` when no HTTP response arrived.
    func perform(_ request: APIRequest) async throws(APITransportError) -> APIResponse
}

extension HTTPTransport: FlowHTTPClient {
    /// Sends `request` with the transport's default timeout.
    public func perform(_ request: APIRequest) async throws(APITransportError) -> APIResponse {
        try await send(request)
    }
}

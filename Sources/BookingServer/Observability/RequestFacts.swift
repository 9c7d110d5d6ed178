import Synchronization

/// What inner middleware learns about a request that the request log (outermost) reports: the tenant of the
/// verified token, the error code answered and the error behind a 5xx. A reference shared by every copy of one request's context.
public final class RequestFacts: Sendable {
    private struct State {
        var tenant: String?
        var failure: String?
        var failureType: String?
        var errorCode: String?
    }
    private let state = Mutex(State())

    public init() {}

    /// The caller's tenant, once a token was verified.
    public var tenant: String? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    /// The internal error behind a 5xx answer (never sent to the client; logged once with the request line).
    public var failure: String? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// The Swift type of the error behind a 5xx (``ErrorReport/typeName(of:)``), for grouping in an error tracker.
    public var failureType: String? {
        get { state.withLock { $0.failureType } }
        set { state.withLock { $0.failureType = newValue } }
    }

    /// Records `error` as the failure behind a 5xx unless one is already recorded (the innermost middleware knows it best).
    public func recordFailure(_ error: any Error) {
        state.withLock { state in
            guard state.failure == nil else { return }
            state.failure = String(describing: error)
            state.failureType = ErrorReport.typeName(of: error)
        }
    }

    /// The error envelope's `code` (API.md "Error codes"), when the request was answered with one.
    public var errorCode: String? {
        get { state.withLock { $0.errorCode } }
        set { state.withLock { $0.errorCode = newValue } }
    }
}

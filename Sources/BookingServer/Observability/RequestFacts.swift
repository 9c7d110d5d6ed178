import Synchronization

/// What inner middleware learns about a request that the request log (outermost) reports: the tenant of the
/// verified token, the error code answered and the error behind a 5xx. A reference shared by every copy of one request's context.
public final class RequestFacts: Sendable {
    private struct State {
        var tenant: String?
        var failure: String?
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

    /// The error envelope's `code` (API.md "Error codes"), when the request was answered with one.
    public var errorCode: String? {
        get { state.withLock { $0.errorCode } }
        set { state.withLock { $0.errorCode = newValue } }
    }
}

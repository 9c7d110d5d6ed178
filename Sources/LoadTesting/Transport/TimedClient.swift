import APITransport
import FlowRuntime
import Foundation

/// The client of one load iteration: sends through the shared transport and records each request's latency, status
/// or transport failure under its API operation.
///
/// The iteration's first request is timed from the iteration's *intended* start, not from when it was sent: an
/// arrival that waited (for a free place under `maxInFlight`, or because the generator fell behind) is measured
/// with its wait, which is how an open-model generator avoids coordinated omission (wrk2's "corrected" latency).
final class TimedClient: FlowHTTPClient, @unchecked Sendable {
    private let base: any FlowHTTPClient
    private let recorder: LoadRecorder
    private let labeler: OperationLabeler
    private let lock = NSLock()
    private var pendingIntendedStart: ContinuousClock.Instant?

    init(base: any FlowHTTPClient, recorder: LoadRecorder, labeler: OperationLabeler, intendedStart: ContinuousClock.Instant) {
        self.base = base
        self.recorder = recorder
        self.labeler = labeler
        self.pendingIntendedStart = intendedStart
    }

    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        let sent = ContinuousClock.now
        let from = lock.withLock {
            defer { pendingIntendedStart = nil }
            return min(pendingIntendedStart ?? sent, sent)
        }
        let operation = labeler.label(method: request.method, url: request.url)
        recorder.requestStarting()
        do {
            let response = try await base.perform(request, timeout: timeout)
            recorder.recordRequest(operation: operation, latency: from.duration(to: .now), status: response.status, transportError: nil)
            return response
        } catch {
            // A request the interruption cancelled is not the target's error.
            if !Task.isCancelled {
                recorder.recordRequest(operation: operation, latency: from.duration(to: .now), status: nil, transportError: error.kind.rawValue)
            }
            throw error
        }
    }
}

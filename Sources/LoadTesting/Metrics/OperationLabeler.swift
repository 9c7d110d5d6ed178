import FlowRuntime
import Foundation
import Synchronization

/// Names the API operation a request was sent to, as API coverage does: `POST /api/appointments` from the matching
/// `openapi.yaml` operation; a request the document does not declare is labelled by its method and path with ids and
/// numbers replaced by `{id}` (so one label stands for all of them).
final class OperationLabeler: Sendable {
    let matcher: APIOperationMatcher?
    let baseURL: URL
    /// Labels of recent URLs (most journeys repeat the same requests); bounded, emptied when full.
    private let cache = Mutex<[String: String]>([:])
    static let cacheLimit = 10_000

    init(matcher: APIOperationMatcher?, baseURL: URL) {
        self.matcher = matcher
        self.baseURL = baseURL
    }

    func label(method: String, url: URL) -> String {
        let key = method + " " + url.absoluteString
        if let known = cache.withLock({ $0[key] }) { return known }
        let label = computeLabel(method: method, url: url)
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = label
        }
        return label
    }

    private func computeLabel(method: String, url: URL) -> String {
        let segments = RequestPath.segments(of: url.absoluteString, under: baseURL.absoluteString) ?? RequestPath.segments(anyHostOf: url.absoluteString) ?? []
        if let operation = matcher?.operation(method: method, segments: segments) { return operation.label }
        let generic = segments.map { segment in
            segment.allSatisfy(\.isNumber) || UUID(uuidString: segment) != nil ? "{id}" : segment
        }
        return "\(method.uppercased()) \(RequestPath.text(generic))" + (matcher == nil ? "" : " (undeclared)")
    }
}

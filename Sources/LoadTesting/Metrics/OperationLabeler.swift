import FlowRuntime
import Foundation

/// Names the API operation a request was sent to, as API coverage does: `POST /api/appointments` from the matching
/// `openapi.yaml` operation; a request the document does not declare is labelled by its method and path with ids and
/// numbers replaced by `{id}` (so one label stands for all of them).
struct OperationLabeler: Sendable {
    let matcher: APIOperationMatcher?
    let baseURL: URL

    func label(method: String, url: URL) -> String {
        let segments = RequestPath.segments(of: url.absoluteString, under: baseURL.absoluteString) ?? RequestPath.segments(anyHostOf: url.absoluteString) ?? []
        if let operation = matcher?.operation(method: method, segments: segments) { return operation.label }
        let generic = segments.map { segment in
            segment.allSatisfy(\.isNumber) || UUID(uuidString: segment) != nil ? "{id}" : segment
        }
        return "\(method.uppercased()) \(RequestPath.text(generic))" + (matcher == nil ? "" : " (undeclared)")
    }
}

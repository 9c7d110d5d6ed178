/// Finds the operation of an OpenAPI document a request was sent to.
///
/// A request matches an operation when the methods are equal (case-insensitive) and the path fits the template
/// (see ``PathTemplate``). When several templates fit, the most specific wins: literal segments beat parameters at the
/// first segment where the templates differ, so `/api/doctors/me/availability` beats `/api/doctors/{id}/availability`
/// and `/api/waitlists/bulk/status` beats `/api/waitlists/{id}/status`. Equally specific candidates (a malformed
/// document) resolve to the first in document order.
public struct APIOperationMatcher: Sendable {
    private let candidates: [(operation: APIOperation, template: PathTemplate)]

    /// Prepares matching against `operations`.
    public init(_ operations: [APIOperation]) {
        candidates = operations.map { ($0, PathTemplate($0.pathTemplate)) }
    }

    /// The operation for `method` on the decoded path `segments`, or `nil` when none fits.
    public func operation(method: String, segments: [String]) -> APIOperation? {
        let method = method.uppercased()
        var best: (operation: APIOperation, template: PathTemplate)?
        for candidate in candidates where candidate.operation.method == method && candidate.template.matches(segments) {
            if let current = best, !candidate.template.isMoreSpecific(than: current.template) { continue }
            best = candidate
        }
        return best?.operation
    }
}

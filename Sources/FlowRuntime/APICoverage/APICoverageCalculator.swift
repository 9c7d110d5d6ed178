/// Computes an ``APICoverageReport`` from a run's recorded requests and an OpenAPI document's operations.
public enum APICoverageCalculator {
    /// Matches every recorded request of `report` (steps of every flow, earlier attempts of retried flows included)
    /// that received a response to an operation of `operations`.
    ///
    /// A request URL is reduced to its path below `report.baseURL` (query dropped; a report without a base URL
    /// matches paths of any host); ``APIOperationMatcher`` then picks the operation. Requests that fit no operation,
    /// or go to another host, are listed as unmatched — unless the step marks its request `undocumented: true` (a
    /// deliberate request to a path the document does not describe, such as a 404 check).
    /// - Parameter document: the document's path, as shown in the report.
    public static func coverage(of report: RunReport, operations: [APIOperation], document: String) -> APICoverageReport {
        let matcher = APIOperationMatcher(operations)
        var statuses: [APIOperation: [Int]] = [:]
        var violations: [String: Int] = [:]
        var unmatched: [APICoverageReport.UnmatchedRequest] = []
        for named in ReportCaseNames.name(report.results) {
            let steps = named.result.recordedSteps
            for step in steps {
                for violation in step.contractViolations { violations[violation.operation, default: 0] += 1 }
                guard let request = step.request, let response = step.response else { continue }
                let segments = report.baseURL.map { RequestPath.segments(of: request.url, under: $0) } ?? RequestPath.segments(anyHostOf: request.url)
                if let segments, let operation = matcher.operation(method: request.method, segments: segments) {
                    statuses[operation, default: []].append(response.status)
                } else if !step.undocumented {
                    unmatched.append(
                        APICoverageReport.UnmatchedRequest(
                            method: request.method.uppercased(), url: request.url, path: segments.map(RequestPath.text), status: response.status,
                            flow: named.name, step: step.name))
                }
            }
        }
        let entries = operations.map { operation in
            let received = statuses[operation] ?? []
            let covered = Set(received.compactMap { DeclaredStatusCodes.key(for: $0, in: operation.declaredStatusCodes) })
            var entry = APICoverageReport.Operation(
                operation: operation, requests: received.count, exercisedStatusCodes: Array(Set(received)).sorted(),
                unexercisedStatusCodes: operation.declaredStatusCodes.filter { !covered.contains($0) },
                undeclaredStatusCodes: Array(Set(received.filter { DeclaredStatusCodes.key(for: $0, in: operation.declaredStatusCodes) == nil })).sorted())
            entry.contractViolations = violations[operation.label] ?? 0
            return entry
        }
        return APICoverageReport(document: document, operations: entries, unmatchedRequests: unmatched)
    }
}

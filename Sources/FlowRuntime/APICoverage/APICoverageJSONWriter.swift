import FlowCore
import Foundation
import TextFileIO

/// Writes an ``APICoverageReport`` as `api-coverage.json` (pretty-printed, keys sorted, `null` for absent values):
/// ```json
/// {
///   "document": "openapi.yaml",
///   "totals": {"operations": 40, "exercised": 17, "percent": 42.5,
///              "declaredStatusCodes": 160, "exercisedDeclaredStatusCodes": 31, "unmatchedRequests": 0, "contractViolations": 0},
///   "operations": [
///     {"method": "GET", "path": "/api/doctors/{id}", "operationId": "getDoctor", "exercised": true, "requests": 2,
///      "declaredStatusCodes": ["200", "404"], "exercisedStatusCodes": [200],
///      "unexercisedStatusCodes": ["404"], "undeclaredStatusCodes": [], "contractViolations": 0}
///   ],
///   "unmatchedRequests": [
///     {"method": "GET", "url": "http://127.0.0.1:8080/api/nope?x=1", "path": "/api/nope", "status": 404,
///      "flow": "Patient books", "step": "typo"}
///   ]
/// }
/// ```
/// `percent` is unrounded (`exercised * 100 / operations`, 100 for a document without operations).
public enum APICoverageJSONWriter {
    /// The JSON text for `coverage`, ending with a newline.
    public static func render(_ coverage: APICoverageReport) -> String {
        ReportFile.prettyJSON(Document(coverage))
    }

    /// Writes ``render(_:)`` to `url` (UTF-8), creating parent folders.
    /// - Throws: file-system errors.
    public static func write(_ coverage: APICoverageReport, to url: URL) throws {
        try ReportFile.write(render(coverage), to: url)
    }

    private struct Document: Encodable {
        var document: String
        var totals: Totals
        var operations: [Operation]
        var unmatchedRequests: [Unmatched]

        init(_ coverage: APICoverageReport) {
            document = coverage.document
            totals = Totals(
                operations: coverage.operationCount, exercised: coverage.exercisedCount, percent: coverage.percent,
                declaredStatusCodes: coverage.declaredStatusCodeCount, exercisedDeclaredStatusCodes: coverage.exercisedDeclaredStatusCodeCount,
                unmatchedRequests: coverage.unmatchedRequests.count, contractViolations: coverage.contractViolationCount)
            operations = coverage.operations.map(Operation.init)
            unmatchedRequests = coverage.unmatchedRequests.map(Unmatched.init)
        }
    }

    private struct Totals: Encodable {
        var operations, exercised: Int
        var percent: Double
        var declaredStatusCodes, exercisedDeclaredStatusCodes, unmatchedRequests, contractViolations: Int
    }

    private struct Operation: Encodable {
        var entry: APICoverageReport.Operation

        init(_ entry: APICoverageReport.Operation) { self.entry = entry }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entry.operation.method, forKey: .method)
            try container.encode(entry.operation.pathTemplate, forKey: .path)
            try container.encode(entry.operation.operationId, forKey: .operationId)
            try container.encode(entry.exercised, forKey: .exercised)
            try container.encode(entry.requests, forKey: .requests)
            try container.encode(entry.operation.declaredStatusCodes, forKey: .declaredStatusCodes)
            try container.encode(entry.exercisedStatusCodes, forKey: .exercisedStatusCodes)
            try container.encode(entry.unexercisedStatusCodes, forKey: .unexercisedStatusCodes)
            try container.encode(entry.undeclaredStatusCodes, forKey: .undeclaredStatusCodes)
            try container.encode(entry.contractViolations, forKey: .contractViolations)
        }

        private enum CodingKeys: String, CodingKey {
            case method, path, operationId, exercised, requests, declaredStatusCodes, exercisedStatusCodes, unexercisedStatusCodes
            case undeclaredStatusCodes, contractViolations
        }
    }

    private struct Unmatched: Encodable {
        var request: APICoverageReport.UnmatchedRequest

        init(_ request: APICoverageReport.UnmatchedRequest) { self.request = request }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(request.method, forKey: .method)
            try container.encode(request.url, forKey: .url)
            try container.encode(request.path, forKey: .path)
            try container.encode(request.status, forKey: .status)
            try container.encode(request.flow, forKey: .flow)
            try container.encode(request.step, forKey: .step)
        }

        private enum CodingKeys: String, CodingKey { case method, url, path, status, flow, step }
    }
}

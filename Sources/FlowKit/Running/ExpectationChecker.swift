import Foundation
import IllajwalaTesting

/// Checks a step's ``Expectation`` against a response, producing one ``AssertionResult`` per check.
struct ExpectationChecker {
    let expectation: Expectation
    let response: APIResponse
    let scope: TemplateScope
    /// The response body parsed as JSON, or `nil` when it is empty or not JSON.
    let parsedBody: JSONValue?

    init(expectation: Expectation, response: APIResponse, scope: TemplateScope) {
        self.expectation = expectation
        self.response = response
        self.scope = scope
        self.parsedBody = response.body.isEmpty ? nil : try? JSONValue(parsing: response.body)
    }

    /// - Throws: ``TemplateError`` when a matcher's template cannot be evaluated.
    func check() throws(TemplateError) -> [AssertionResult] {
        var results: [AssertionResult] = []
        func record(_ subject: String, _ matcher: Matcher, _ actual: JSONValue?, absent: String = "(absent)") throws(TemplateError) {
            let outcome = try MatcherEvaluator.evaluate(matcher, actual: actual, in: scope)
            // Shown values never carry credentials: sensitive members inside are masked, and so is a selected
            // sensitive member itself.
            let masked = actual.map { SensitiveFields.isSensitivePath(subject) ? JSONValue.string("***") : SensitiveFields.mask($0) }
            let shown = masked?.compactJSON ?? absent
            let diff = outcome.passed ? nil : outcome.expectedValue.flatMap { expected in masked.flatMap { JSONDiff.render(expected: expected, actual: $0) } }
            results.append(AssertionResult(subject: subject, expected: outcome.expected, actual: shown, passed: outcome.passed, diff: diff))
        }
        if let status = expectation.status {
            try record("status", status, .number(Double(response.status)))
        }
        for header in expectation.headers {
            try record("header \(header.name)", header.matcher, response.header(header.name).map(JSONValue.string))
        }
        for check in expectation.json {
            guard let body = parsedBody else {
                try record(check.path.source, check.matcher, nil, absent: "(response body is not JSON)")
                continue
            }
            var path = check.path
            if let template = check.pathTemplate {
                let rendered = try template.render(in: scope)
                do {
                    path = try JSONPathQuery(rendered)
                } catch {
                    throw TemplateError.invalidArgument(function: "JSONPath", message: "'\(rendered)' is not a valid JSONPath: \(error.message) (column \(error.column))")
                }
            }
            let nodes = path.select(in: body)
            let actual: JSONValue? = nodes.isEmpty ? nil : (nodes.count == 1 ? nodes[0] : .array(nodes))
            try record(path.source, check.matcher, actual, absent: "(no match)")
        }
        if let body = expectation.body {
            try record("body", body, .string(response.text))
        }
        let milliseconds = response.duration * 1000
        for bound in expectation.duration {
            let passed: Bool
            switch bound.op {
            case .lt: passed = milliseconds < bound.milliseconds
            case .lte: passed = milliseconds <= bound.milliseconds
            case .gt: passed = milliseconds > bound.milliseconds
            case .gte: passed = milliseconds >= bound.milliseconds
            }
            results.append(AssertionResult(
                subject: "duration", expected: "\(bound.op.rawValue) \(DurationText.milliseconds(bound.milliseconds)) ms",
                actual: "\(DurationText.milliseconds(milliseconds)) ms", passed: passed))
        }
        if let schema = expectation.schema {
            let subject = "schema \((schema.source as NSString).lastPathComponent)"
            if let body = parsedBody {
                let violations = JSONSchemaValidator(document: schema).violations(of: body)
                let shown = violations.prefix(5).map(\.description).joined(separator: "; ")
                    + (violations.count > 5 ? "; … \(violations.count - 5) more" : "")
                results.append(AssertionResult(
                    subject: subject, expected: "body valid against \(schema.source)",
                    actual: violations.isEmpty ? "valid" : shown, passed: violations.isEmpty))
            } else {
                results.append(AssertionResult(subject: subject, expected: "body valid against \(schema.source)", actual: "(response body is not JSON)", passed: false))
            }
        }
        return results
    }
}

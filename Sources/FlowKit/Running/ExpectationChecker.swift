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
            results.append(AssertionResult(subject: subject, expected: outcome.expected, actual: actual?.compactJSON ?? absent, passed: outcome.passed))
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
            let nodes = check.path.select(in: body)
            let actual: JSONValue? = nodes.isEmpty ? nil : (nodes.count == 1 ? nodes[0] : .array(nodes))
            try record(check.path.source, check.matcher, actual, absent: "(no match)")
        }
        if let body = expectation.body {
            try record("body", body, .string(response.text))
        }
        return results
    }
}

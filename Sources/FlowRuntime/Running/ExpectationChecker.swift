import APITransport
import FlowCore
import Foundation

/// Checks a step's ``Expectation`` against a response, producing one ``AssertionResult`` per check.
struct ExpectationChecker {
    let expectation: Expectation
    let response: APIResponse
    let scope: TemplateScope
    /// The response body read as JSON (see ``ResponseJSON``).
    let body: ResponseJSON
    /// Hides the secrets known so far in the recorded values.
    let masker: SecretMasker

    init(expectation: Expectation, response: APIResponse, scope: TemplateScope, body: ResponseJSON, masker: SecretMasker) {
        self.expectation = expectation
        self.response = response
        self.scope = scope
        self.body = body
        self.masker = masker
    }

    /// - Throws: ``TemplateError`` when a matcher's template cannot be evaluated.
    func check() throws(TemplateError) -> [AssertionResult] {
        var results: [AssertionResult] = []
        func record(_ subject: String, _ matcher: Matcher, _ actual: JSONValue?, absent: String = "(absent)") throws(TemplateError) {
            let outcome = try MatcherEvaluator.evaluate(matcher, actual: actual, in: scope)
            // Shown values never carry credentials: sensitive members inside are masked, and so is a selected
            // sensitive member itself. Every shown value is bounded (RecordedText); the matcher saw it whole.
            let sensitive = SensitiveFields.isSensitivePath(subject)
            let shown = actual.map { sensitive ? "\"***\"" : RecordedText.bound($0, masker: masker, maskingSensitiveMembers: true) } ?? absent
            let diff =
                outcome.passed || sensitive
                ? nil
                : outcome.expectedValue.flatMap { expected in actual.flatMap { JSONDiff.render(expected: expected, actual: $0, maskingSensitiveMembers: true) }
                }
            results.append(
                AssertionResult(
                    subject: RecordedText.bound(subject, masker: masker), expected: RecordedText.bound(outcome.expected, masker: masker), actual: shown,
                    passed: outcome.passed, diff: diff.map { RecordedText.bound($0, masker: masker) }))
        }
        if let status = expectation.status {
            try record("status", status, .number(response.status))
        }
        for header in expectation.headers {
            try record("header \(header.name)", header.matcher, response.header(header.name).map(JSONValue.string))
        }
        for check in expectation.json {
            guard case .parsed(let body) = body else {
                try record(check.path.source, check.matcher, nil, absent: body.problem)
                continue
            }
            var path = check.path
            if let template = check.pathTemplate {
                let rendered = try template.render(in: scope)
                do {
                    path = try JSONPathQuery(rendered)
                } catch {
                    throw TemplateError.invalidArgument(
                        function: "JSONPath", message: "'\(rendered)' is not a valid JSONPath: \(error.message) (column \(error.column))")
                }
            }
            let nodes = path.select(in: body)
            let actual: JSONValue? = nodes.isEmpty ? nil : (nodes.count == 1 ? nodes[0] : .array(nodes))
            try record(path.source, check.matcher, actual, absent: "(no match)")
        }
        if let body = expectation.body {
            try record("body", body, .string(response.text))
        }
        let took = response.duration
        for bound in expectation.duration {
            let passed: Bool
            switch bound.op {
            case .lt: passed = took < bound.bound
            case .lte: passed = took <= bound.bound
            case .gt: passed = took > bound.bound
            case .gte: passed = took >= bound.bound
            }
            results.append(
                AssertionResult(
                    subject: "duration", expected: "\(bound.op.rawValue) \(DurationText.milliseconds(bound.bound)) ms",
                    actual: "\(DurationText.milliseconds(took)) ms", passed: passed))
        }
        if let schema = expectation.schema {
            let subject = "schema \((schema.source as NSString).lastPathComponent)"
            if case .parsed(let body) = body {
                let violations = JSONSchemaValidator(document: schema).violations(of: body)
                let shown =
                    violations.prefix(5).map(\.description).joined(separator: "; ")
                    + (violations.count > 5 ? "; … \(violations.count - 5) more" : "")
                results.append(
                    AssertionResult(
                        subject: subject, expected: "body valid against \(schema.source)",
                        actual: violations.isEmpty ? "valid" : RecordedText.bound(shown, masker: masker), passed: violations.isEmpty))
            } else {
                results.append(AssertionResult(subject: subject, expected: "body valid against \(schema.source)", actual: body.problem, passed: false))
            }
        }
        return results
    }
}

/// A response body as the JSON checks and captures of a step see it, read at most once and only when something
/// needs it (a large body that only a `body:` matcher checks is never parsed).
enum ResponseJSON {
    /// Not read: nothing in the step needs it.
    case unread
    /// The body is empty.
    case empty
    /// The parsed value.
    case parsed(JSONValue)
    /// The body is not JSON (or is nested deeper than ``JSONParser/maximumDepth``): why.
    case invalid(JSONParseError)

    /// Reads `data` when `needed`.
    init(_ data: Data, needed: Bool) {
        if data.isEmpty {
            self = .empty
        } else if !needed {
            self = .unread
        } else {
            do { self = .parsed(try JSONValue(parsing: data)) } catch { self = .invalid(error) }
        }
    }

    /// The parsed value, or `nil`.
    var value: JSONValue? {
        if case .parsed(let value) = self { return value }
        return nil
    }

    /// What an assertion shows as the actual value when there is no JSON to check.
    var problem: String {
        switch self {
        case .parsed: return "(parsed)"
        case .unread, .empty: return "(response body is empty)"
        case .invalid(let error):
            return "(response body is not JSON: \(error))"
        }
    }
}

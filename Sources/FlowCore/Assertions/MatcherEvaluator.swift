import Foundation

/// Checks a value against a ``Matcher``.
public enum MatcherEvaluator {
    /// The result of one matcher check.
    public struct Outcome: Sendable, Hashable {
        /// Whether the value satisfied the matcher.
        public var passed: Bool
        /// The evaluated expectation in readable form.
        public var expected: String
        /// The value compared with, for a literal or `equals` matcher (used to show a JSON diff on failure).
        public var expectedValue: JSONValue? = nil
    }

    /// Evaluates `matcher` (its templates in `scope`) against `actual`.
    /// - Parameter actual: the value checked, or `nil` when it is absent (missing header, JSONPath selecting nothing).
    /// - Throws: ``TemplateError`` when a template in the matcher cannot be evaluated.
    public static func evaluate(_ matcher: Matcher, actual: JSONValue?, in scope: TemplateScope) throws(TemplateError) -> Outcome {
        switch matcher {
        case .literal(let literal):
            let expected = try literal.evaluate(in: scope)
            return Outcome(passed: actual == expected, expected: expected.compactJSON, expectedValue: expected)
        case .predicates(let predicates):
            var passed = true
            var descriptions: [String] = []
            var compared: JSONValue?
            for predicate in predicates {
                let outcome = try evaluate(predicate, actual: actual, in: scope)
                passed = passed && outcome.passed
                descriptions.append(outcome.expected)
                if !outcome.passed, compared == nil { compared = outcome.expectedValue }
            }
            return Outcome(passed: passed, expected: descriptions.joined(separator: " and "), expectedValue: predicates.count == 1 ? compared : nil)
        }
    }

    private static func evaluate(_ predicate: Predicate, actual: JSONValue?, in scope: TemplateScope) throws(TemplateError) -> Outcome {
        switch predicate {
        case .exists(let expected):
            return Outcome(passed: (actual != nil) == expected, expected: "exists \(expected)")
        case .equals(let literal):
            let expected = try literal.evaluate(in: scope)
            return Outcome(passed: actual == expected, expected: "equals \(expected.compactJSON)", expectedValue: expected)
        case .contains(let literal):
            let expected = try literal.evaluate(in: scope)
            let passed: Bool
            switch (actual, expected) {
            case (.string(let text)?, .string(let part)): passed = text.contains(part)
            case (.array(let elements)?, _): passed = elements.contains(expected)
            case (.object(let members)?, .string(let key)): passed = members[key] != nil
            default: passed = false
            }
            return Outcome(passed: passed, expected: "contains \(expected.compactJSON)")
        case .matches(let template):
            let pattern = try template.render(in: scope)
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                throw TemplateError.invalidArgument(function: "matches", message: "invalid regular expression '\(pattern)'")
            }
            var passed = false
            if case .string(let text)? = actual {
                passed = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
            return Outcome(passed: passed, expected: "matches /\(pattern)/")
        case .type(let type):
            return Outcome(passed: actual.map { matches(type, $0) } ?? false, expected: "type \(type.rawValue)")
        case .length(let inner):
            let length: JSONValue?
            switch actual {
            case .string(let text)?: length = .number(text.count)
            case .array(let elements)?: length = .number(elements.count)
            case .object(let members)?: length = .number(members.count)
            default: length = nil
            }
            let outcome = try evaluate(inner, actual: length, in: scope)
            return Outcome(passed: length != nil && outcome.passed, expected: "length \(outcome.expected)")
        case .compare(let op, let literal):
            let expected = try literal.evaluate(in: scope)
            var passed = false
            if let actual, let order = ValueOrdering.compare(actual, expected) {
                switch op {
                case .gt: passed = order == .orderedDescending
                case .gte: passed = order != .orderedAscending
                case .lt: passed = order == .orderedAscending
                case .lte: passed = order != .orderedDescending
                }
            }
            return Outcome(passed: passed, expected: "\(op.rawValue) \(expected.compactJSON)")
        case .not(let inner):
            let outcome = try evaluate(inner, actual: actual, in: scope)
            return Outcome(passed: !outcome.passed, expected: "not (\(outcome.expected))")
        case .oneOf(let literals):
            var options: [JSONValue] = []
            for literal in literals { options.append(try literal.evaluate(in: scope)) }
            return Outcome(
                passed: actual.map { options.contains($0) } ?? false,
                expected: "oneOf \(JSONValue.array(options).compactJSON)")
        }
    }

    private static func matches(_ type: Predicate.ValueType, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool), (.array, .array), (.object, .object), (.null, .null):
            return true
        case (.integer, .number(let number)):
            return number.isInteger
        default:
            return false
        }
    }
}

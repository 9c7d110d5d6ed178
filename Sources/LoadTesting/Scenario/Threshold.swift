import Foundation

/// A service-level objective a load test gates on: `p95<500ms`, `POST /api/appointments: p99<300ms`,
/// `errors<0.1%`, `checks>99.9%`, `flow Patient books…: p95<2s`.
///
/// Grammar: `[SCOPE:] METRIC OPERATOR VALUE`, where
/// - SCOPE is an API operation (`METHOD /path/{param}` as `openapi.yaml` writes it; its requests), or a flow name
///   (optionally written `flow NAME`; its journeys, timed from their intended start); no scope means every request
///   for latency and every journey for `errors`;
/// - METRIC is a latency percentile `p50`, `p90`, `p95`, `p99`, `p99.9` (any `pN`), `max` or `mean`; `errors` (the share
///   of journeys that did not pass, or of an operation's requests that got no response or a 5xx); or `checks` (the
///   share of assertions that held);
/// - OPERATOR is `<`, `<=`, `>` or `>=`;
/// - VALUE is a duration (`300ms`, `1.5s`, `800us`) for latency, a percentage (`0.1%`) or a fraction (`0.001`) for
///   `errors` and `checks`.
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
    /// What a threshold is measured on.
    public enum Scope: Sendable, Equatable {
        /// Every request (latency) or every journey (errors, checks).
        case all
        /// One API operation: method and path template.
        case operation(method: String, path: String)
        /// The journeys of one flow.
        case flow(String)
    }

    /// The measured quantity.
    public enum Metric: Sendable, Equatable {
        /// A latency percentile (0–100).
        case percentile(Double)
        case max
        case mean
        case errors
        case checks
    }

    /// Comparison the measured value must satisfy.
    public enum Comparison: String, Sendable, Equatable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        func holds(_ measured: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: return measured < limit
            case .lessOrEqual: return measured <= limit
            case .greater: return measured > limit
            case .greaterOrEqual: return measured >= limit
            }
        }
    }

    public var scope: Scope
    public var metric: Metric
    public var comparison: Comparison
    /// The limit: seconds for latency metrics, a fraction (0–1) for `errors` and `checks`.
    public var limit: Double
    /// The threshold as written.
    public var text: String

    public var description: String { text }

    /// Why a threshold could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var problem: String
        public var description: String { "threshold '\(text)': \(problem)" }
    }

    /// Parses a threshold (grammar above).
    /// - Throws: ``ParseError`` naming what is wrong.
    public init(parsing raw: String) throws(ParseError) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func fail(_ problem: String) -> ParseError { ParseError(text: text, problem: problem) }
        var expression = Substring(text)
        scope = .all
        if let colon = text.lastIndex(of: ":") {
            let scopeText = text[..<colon].trimmingCharacters(in: .whitespaces)
            expression = text[text.index(after: colon)...]
            guard !scopeText.isEmpty else { throw fail("the scope before ':' is empty") }
            scope = Self.scope(scopeText)
        }
        let body = expression.replacingOccurrences(of: " ", with: "")
        guard let operatorRange = body.firstRange(of: /<=|>=|<|>/) else {
            throw fail("expected METRIC<VALUE, METRIC<=VALUE, METRIC>VALUE or METRIC>=VALUE, e.g. p95<500ms")
        }
        let metricText = String(body[..<operatorRange.lowerBound]).lowercased()
        comparison = Comparison(rawValue: String(body[operatorRange]))!
        let valueText = String(body[operatorRange.upperBound...])
        switch metricText {
        case "max": metric = .max
        case "mean", "avg": metric = .mean
        case "errors", "error_rate": metric = .errors
        case "checks": metric = .checks
        default:
            guard metricText.hasPrefix("p"), let value = Double(metricText.dropFirst()), value > 0, value <= 100 else {
                throw fail("unknown metric '\(metricText)': use p50, p90, p95, p99, p99.9, max, mean, errors or checks")
            }
            metric = .percentile(value)
        }
        switch metric {
        case .errors, .checks:
            if valueText.hasSuffix("%"), let percent = Double(valueText.dropLast()), (0...100).contains(percent) {
                limit = percent / 100
            } else if let fraction = Double(valueText), (0...1).contains(fraction) {
                limit = fraction
            } else {
                throw fail("'\(valueText)' is not a rate: write a percentage such as 0.1% or a fraction such as 0.001")
            }
        default:
            guard let seconds = Self.seconds(valueText) else {
                throw fail("'\(valueText)' is not a duration: write e.g. 500ms, 1.5s or 800us")
            }
            limit = seconds
        }
        guard scope == .all || metric != .checks else { throw fail("checks is measured over the whole test; drop the scope") }
        self.text = text
    }

    /// An operation scope (`GET /api/doctors`) or a flow name (`flow NAME` or the bare name).
    static func scope(_ text: String) -> Scope {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        if parts.count == 2, methods.contains(parts[0].uppercased()), parts[1].hasPrefix("/") {
            return .operation(method: parts[0].uppercased(), path: parts[1])
        }
        if parts.count == 2, parts[0].lowercased() == "flow" { return .flow(parts[1]) }
        return .flow(text)
    }

    /// `500ms`, `1.5s`, `800us`, `2m` in seconds; `nil` otherwise.
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite else { return nil }
            return value * scale
        }
        return nil
    }
}

/// An OpenAPI path template split into segments, matched against concrete request paths.
///
/// A segment that is exactly one `{name}` matches any one non-empty path segment; a segment that mixes text and
/// parameters (`{id}.json`, `v{major}`) matches a segment with the same literal text around the parameters; other
/// segments match only themselves (case-sensitive). A `/` is never matched by a parameter.
public struct PathTemplate: Sendable, Hashable {
    /// One segment of a template.
    public enum Segment: Sendable, Hashable {
        /// Matches exactly this text.
        case literal(String)
        /// `{name}` alone: matches any one non-empty segment.
        case parameter
        /// Literal parts around parameters, e.g. `["", ".json"]` for `{id}.json`: matches a segment that holds the parts
        /// in order, each parameter taking at least one character.
        case pattern([String])
    }

    /// The segments, without empty ones (`/a//b/` has the segments `a` and `b`).
    public let segments: [Segment]

    /// Splits `template` (e.g. `/api/doctors/{id}`).
    public init(_ template: String) {
        segments = template.split(separator: "/", omittingEmptySubsequences: true).map { Self.segment(String($0)) }
    }

    /// Whether the decoded path segments `path` fit this template.
    public func matches(_ path: [String]) -> Bool {
        guard path.count == segments.count else { return false }
        return zip(segments, path).allSatisfy { segment, text in
            switch segment {
            case .literal(let literal): return literal == text
            case .parameter: return !text.isEmpty
            case .pattern(let parts): return Self.fits(text, parts: parts)
            }
        }
    }

    /// How literal each segment is (2 literal, 1 pattern, 0 parameter): a template whose scores are greater at the first
    /// segment where two templates differ is the more specific one (`/waitlists/bulk/status` beats `/waitlists/{id}/status`).
    public var specificity: [Int] {
        segments.map {
            switch $0 {
            case .literal: return 2
            case .pattern: return 1
            case .parameter: return 0
            }
        }
    }

    /// Whether this template is more specific than `other` (see ``specificity``); `false` for equally specific ones.
    public func isMoreSpecific(than other: PathTemplate) -> Bool {
        other.specificity.lexicographicallyPrecedes(specificity)
    }

    private static func segment(_ text: String) -> Segment {
        guard text.contains("{") else { return .literal(text) }
        var parts: [String] = []
        var current = ""
        var inParameter = false
        for character in text {
            switch character {
            case "{" where !inParameter:
                parts.append(current)
                current = ""
                inParameter = true
            case "}" where inParameter:
                inParameter = false
            default:
                if !inParameter { current.append(character) }
            }
        }
        guard !inParameter else { return .literal(text) }  // an unclosed brace is text
        parts.append(current)
        return parts.allSatisfy(\.isEmpty) && parts.count == 2 ? .parameter : .pattern(parts)
    }

    /// Whether `text` is `parts[0] X parts[1] X … parts[n]` with each X at least one character.
    private static func fits(_ text: String, parts: [String]) -> Bool {
        guard let first = parts.first, let last = parts.last, parts.count >= 2 else { return false }
        guard text.hasPrefix(first) else { return false }
        var rest = Substring(text.dropFirst(first.count))
        for middle in parts.dropFirst().dropLast() {
            guard !rest.isEmpty else { return false }
            let searchStart = rest.index(after: rest.startIndex)
            guard !middle.isEmpty else {  // `{a}{b}`: each parameter takes at least one character
                rest = rest[searchStart...]
                continue
            }
            guard let range = rest[searchStart...].range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count > last.count && rest.hasSuffix(last)
    }
}

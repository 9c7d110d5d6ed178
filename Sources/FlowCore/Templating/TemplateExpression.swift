/// The expression inside `{{ … }}`: a literal, a variable path (`user.id`, `items[0]`) or a function call.
public indirect enum TemplateExpression: Sendable, Hashable {
    /// One step of a variable path after its root name.
    public enum PathComponent: Sendable, Hashable {
        /// `.name` or `['name']`.
        case member(String)
        /// `[n]`; negative counts from the end.
        case index(Int)
    }

    /// A quoted string literal (`'x'` or `"x"`).
    case string(String)
    /// A number literal.
    case number(JSONNumber)
    /// A variable path, or a generator such as `fake.email` when no variable has the root name.
    case path(root: String, components: [PathComponent])
    /// A built-in function call.
    case call(TemplateFunction, arguments: [TemplateExpression])
}

/// The built-in template functions.
public enum TemplateFunction: String, Sendable, Hashable, CaseIterable {
    /// `uuid()`: a new random UUID, lower-case.
    case uuid
    /// `now()`: the current instant, RFC 3339 in UTC.
    case now
    /// `date("+1d"[, "Asia/Kolkata"])`: a calendar date `YYYY-MM-DD` relative to today (units d, w).
    case date
    /// `datetime("+2h")`: an RFC 3339 UTC instant relative to now (units s, m, h, d).
    case datetime
    /// `hmac_sha256(key, message)`: lower-case hex HMAC-SHA256 (RFC 2104) of message under key.
    case hmacSHA256 = "hmac_sha256"
    /// `json(value)`: compact JSON text of a value.
    case json
    /// `urlencode(value)`: the value's text percent-encoded for a path segment or query component (RFC 3986 §2.1;
    /// only unreserved characters stay as they are), e.g. `/api/files/{{ urlencode(name) }}`.
    case urlencode

    /// Allowed argument counts.
    var arity: ClosedRange<Int> {
        switch self {
        case .uuid, .now: return 0...0
        case .date: return 1...2
        case .datetime, .json, .urlencode: return 1...1
        case .hmacSHA256: return 2...2
        }
    }
}

/// A short, line-per-difference comparison of two JSON values, for failure messages: which members are missing,
/// unexpected or different, each at its JSONPath (RFC 9535 normalized form, e.g. `$['data'][0]['status']`).
public enum JSONDiff {
    /// Differences shown at most; the rest are counted in a final line.
    public static let maximumLines = 12

    /// The differences between `expected` and `actual`, or `nil` when they are equal or either is not an object or
    /// array (a scalar mismatch is already clear from the expected/actual line).
    public static func render(expected: JSONValue, actual: JSONValue) -> String? {
        switch (expected, actual) {
        case (.object, .object), (.array, .array): break
        default: return nil
        }
        var lines: [String] = []
        collect(expected, actual, path: "$", into: &lines)
        guard !lines.isEmpty else { return nil }
        if lines.count > maximumLines {
            let hidden = lines.count - maximumLines
            lines = Array(lines.prefix(maximumLines)) + ["… \(hidden) more difference\(hidden == 1 ? "" : "s")"]
        }
        return lines.joined(separator: "\n")
    }

    private static func collect(_ expected: JSONValue, _ actual: JSONValue, path: String, into lines: inout [String]) {
        switch (expected, actual) {
        case (.object(let want), .object(let have)):
            for key in Set(want.keys).union(have.keys).sorted() {
                let child = path + "['" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "']"
                switch (want[key], have[key]) {
                case (let w?, let h?): collect(w, h, path: child, into: &lines)
                case (let w?, nil): lines.append("- \(child): \(excerpt(w)) (missing)")
                case (nil, let h?): lines.append("+ \(child): \(excerpt(h)) (unexpected)")
                case (nil, nil): break
                }
            }
        case (.array(let want), .array(let have)):
            for index in 0..<max(want.count, have.count) {
                let child = path + "[\(index)]"
                if index >= have.count {
                    lines.append("- \(child): \(excerpt(want[index])) (missing)")
                } else if index >= want.count {
                    lines.append("+ \(child): \(excerpt(have[index])) (unexpected)")
                } else {
                    collect(want[index], have[index], path: child, into: &lines)
                }
            }
        default:
            if expected != actual { lines.append("~ \(path): expected \(excerpt(expected)), actual \(excerpt(actual))") }
        }
    }

    private static func excerpt(_ value: JSONValue) -> String {
        let text = value.compactJSON
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}

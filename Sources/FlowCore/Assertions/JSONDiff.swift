/// A short, line-per-difference comparison of two JSON values, for failure messages: which members are missing,
/// unexpected or different, each at its JSONPath (RFC 9535 normalized form, e.g. `$['data'][0]['status']`).
public enum JSONDiff {
    /// Differences shown at most; the rest are counted in a final line.
    public static let maximumLines = 12

    /// The differences between `expected` and `actual`, or `nil` when they are equal or either is not an object or
    /// array (a scalar mismatch is already clear from the expected/actual line).
    /// - Parameter maskingSensitiveMembers: show the values of credential members (``SensitiveFields``) as `***`.
    public static func render(expected: JSONValue, actual: JSONValue, maskingSensitiveMembers: Bool = false) -> String? {
        switch (expected, actual) {
        case (.object, .object), (.array, .array): break
        default: return nil
        }
        var differences = Differences(masking: maskingSensitiveMembers)
        collect(expected, actual, path: "$", into: &differences)
        guard differences.count > 0 else { return nil }
        var lines = differences.lines
        if differences.count > maximumLines {
            let hidden = differences.count - maximumLines
            lines.append("… \(hidden) more difference\(hidden == 1 ? "" : "s")")
        }
        return lines.joined(separator: "\n")
    }

    /// The first ``maximumLines`` difference lines and how many differences there are in all (lines past the
    /// first few are counted, never formatted: a diff of two large arrays costs no more memory than a short one).
    private struct Differences {
        var masking: Bool
        var lines: [String] = []
        var count = 0

        mutating func append(_ line: @autoclosure () -> String) {
            count += 1
            if lines.count < JSONDiff.maximumLines { lines.append(line()) }
        }
    }

    private static func collect(_ expected: JSONValue, _ actual: JSONValue, path: String, into lines: inout Differences) {
        let masking = lines.masking
        switch (expected, actual) {
        case (.object(let want), .object(let have)):
            for key in Set(want.keys).union(have.keys).sorted() {
                let child = path + "['" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "']"
                let hidden = masking && SensitiveFields.isSensitive(key)
                switch (want[key], have[key]) {
                case (let w?, let h?):
                    if hidden {
                        if w != h { lines.append("~ \(child): differs (value hidden: \"***\")") }
                    } else {
                        collect(w, h, path: child, into: &lines)
                    }
                case (let w?, nil): lines.append("- \(child): \(hidden ? "\"***\"" : excerpt(w, masking: masking)) (missing)")
                case (nil, let h?): lines.append("+ \(child): \(hidden ? "\"***\"" : excerpt(h, masking: masking)) (unexpected)")
                case (nil, nil): break
                }
            }
        case (.array(let want), .array(let have)):
            for index in 0..<max(want.count, have.count) {
                let child = path + "[\(index)]"
                if index >= have.count {
                    lines.append("- \(child): \(excerpt(want[index], masking: masking)) (missing)")
                } else if index >= want.count {
                    lines.append("+ \(child): \(excerpt(have[index], masking: masking)) (unexpected)")
                } else {
                    collect(want[index], have[index], path: child, into: &lines)
                }
            }
        default:
            if expected != actual {
                lines.append("~ \(path): expected \(excerpt(expected, masking: masking)), actual \(excerpt(actual, masking: masking))")
            }
        }
    }

    /// At most 80 characters of the value's compact JSON, serialized only as far as needed.
    private static func excerpt(_ value: JSONValue, masking: Bool) -> String {
        var sink = RecordedText.Sink(keep: 400)
        value.write(to: &sink, maskingSensitiveMembers: masking)
        let text = String(decoding: sink.kept, as: UTF8.self)
        return sink.total > sink.kept.count || text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}

import Foundation

/// JSON Pointers (RFC 6901) in their URI-fragment form, as `$ref`s write them: `#`, `#/components/schemas/Doctor`,
/// `#/paths/~1api~1doctors/get` (`~1` is `/`, `~0` is `~`; percent-encoding is decoded).
public enum JSONPointer {
    /// The value `pointer` names in `document`, or `nil` when it names nothing or is not a `#…` fragment.
    public static func resolve(_ pointer: String, in document: JSONValue) -> JSONValue? {
        guard pointer.hasPrefix("#") else { return nil }
        let path = pointer.dropFirst()
        guard !path.isEmpty else { return document }
        guard path.hasPrefix("/") else { return nil }
        var node = document
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = (raw.removingPercentEncoding ?? String(raw)).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let members):
                guard let next = members[token] else { return nil }
                node = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                node = elements[index]
            default:
                return nil
            }
        }
        return node
    }

    /// `token` escaped for use in a pointer (`~` → `~0`, `/` → `~1`).
    public static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

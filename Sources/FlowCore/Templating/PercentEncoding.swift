import Foundation

/// Percent-encoding of one query or form component, as requests and the `urlencode` template function write it.
public enum PercentEncoding {
    /// The characters that stay literal: RFC 3986 §2.3's unreserved set.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` with every byte outside the unreserved set written `%XX` (a query component, a path segment).
    public static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `application/x-www-form-urlencoded` encoding of a name or value (WHATWG URL §5.2): unreserved characters as
    /// they are, a space as `+`, every other byte as `%XX`.
    public static func formComponent(_ text: String) -> String {
        component(text).replacingOccurrences(of: "%20", with: "+")
    }
}

/// Which of an operation's declared response keys (`"200"`, `"4XX"`, `"default"`) a received status code falls under.
public enum DeclaredStatusCodes {
    /// The declared key that covers `status`: the exact code if declared, else its range (`"4XX"`, any case), else
    /// `"default"` if declared, else `nil` (the status is undeclared).
    public static func key(for status: Int, in declared: [String]) -> String? {
        if let exact = declared.first(where: { $0 == String(status) }) { return exact }
        let range = "\(status / 100)XX"
        if let ranged = declared.first(where: { $0.uppercased() == range }) { return ranged }
        return declared.first { $0 == "default" }
    }
}

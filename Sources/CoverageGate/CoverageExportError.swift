/// Why an llvm-cov export file could not be read.
public enum CoverageExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no file at the path: coverage was not collected (or not yet).
    case missing(path: String)
    /// The file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not an llvm-cov export of format 3.x (not JSON, another version, or a required key is missing).
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "no coverage data at \(path): run `swift test --enable-code-coverage` first (or pass --codecov-json PATH)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read coverage data: \(reason)"
        case .invalid(let path, let reason):
            return "\(path): not an llvm-cov export (format 3.x): \(reason)"
        }
    }
}

/// What a binary was built from, for `--version` and the start-up log line: the version in the repository's
/// `VERSION` file (the one place a release's version is set), the git commit and the commit's date (written by
/// `BuildInfoPlugin` before each build).
public enum BuildInfo {
    /// Semantic version, e.g. `0.14.0`.
    public static var version: String { generatedVersion }
    /// Full git commit hash, `-dirty` appended when built from uncommitted changes; `unknown` outside git.
    public static var commit: String { generatedCommit }
    /// The commit's date (RFC 3339), or `unknown`.
    public static var date: String { generatedDate }

    /// `NAME VERSION (commit COMMIT, DATE)`, the line `--version` prints.
    public static func versionLine(program: String) -> String {
        "\(program) \(version) (commit \(commit), \(date))"
    }
}

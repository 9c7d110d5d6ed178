/// What became of API coverage for one run, as the reports show it.
public enum APICoverageOutcome: Sendable, Hashable {
    /// Coverage was computed: `api-coverage.json` and `api-coverage.md` are written, the summary shows the totals.
    case computed(APICoverageReport)
    /// Coverage could not be computed (no OpenAPI document): the summary shows `reason`, no coverage file is written
    /// (and stale ones of an earlier run in the same folder are removed).
    case skipped(reason: String)
    /// The caller did not ask for coverage: nothing about it is written.
    case notRequested

    /// The report when computed, else `nil`.
    public var report: APICoverageReport? {
        if case .computed(let report) = self { return report }
        return nil
    }
}

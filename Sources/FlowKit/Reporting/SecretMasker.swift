/// Replaces secret values (those a target takes from the environment) with `***` in everything a run prints
/// or writes: console lines, failure texts, recorded requests and responses, assertion values.
/// `Authorization` and `Cookie` headers are masked when requests are recorded, whatever their value.
public struct SecretMasker: Sendable {
    /// The values to hide, longest first (so a secret that contains another is hidden whole).
    public let secrets: [String]

    /// Creates a masker; empty strings are ignored.
    public init(secrets: [String]) {
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with every secret replaced by `***`.
    public func mask(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The result with every text masked.
    public func mask(_ result: FlowResult) -> FlowResult {
        guard !secrets.isEmpty else { return result }
        var masked = result
        if var failure = masked.failure {
            failure.summary = mask(failure.summary)
            failure.details = mask(failure.details)
            masked.failure = failure
        }
        masked.steps = masked.steps.map(mask)
        masked.previousAttempts = masked.previousAttempts.map(mask)
        return masked
    }

    private func mask(_ record: StepRecord) -> StepRecord {
        var record = record
        record.message = record.message.map(mask)
        record.curl = record.curl.map(mask)
        if var request = record.request {
            request.url = mask(request.url)
            request.headers = request.headers.map { HeaderField(name: $0.name, value: mask($0.value)) }
            request.bodyExcerpt = request.bodyExcerpt.map(mask)
            record.request = request
        }
        if var response = record.response {
            response.headers = response.headers.map { HeaderField(name: $0.name, value: mask($0.value)) }
            response.bodyExcerpt = mask(response.bodyExcerpt)
            record.response = response
        }
        record.assertions = record.assertions.map {
            AssertionResult(
                subject: mask($0.subject), expected: mask($0.expected), actual: mask($0.actual), passed: $0.passed, diff: $0.diff.map(mask))
        }
        return record
    }
}

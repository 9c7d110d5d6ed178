import FlowCore

/// Masking what a run records: a flow result and each step record, every text in them.
extension SecretMasker {
    /// The result with every text masked.
    public func mask(_ result: FlowResult) -> FlowResult {
        guard !secrets.isEmpty else { return result }
        var masked = result
        masked.failure = masked.failure.map(mask)
        masked.steps = masked.steps.map(mask)
        masked.previousAttempts = masked.previousAttempts.map(mask)
        return masked
    }

    /// The failure with its summary and details masked.
    public func mask(_ failure: FlowResult.Failure) -> FlowResult.Failure {
        var masked = failure
        masked.summary = mask(failure.summary)
        masked.details = mask(failure.details)
        return masked
    }

    /// The record with every text masked.
    public func mask(_ record: StepRecord) -> StepRecord {
        guard !secrets.isEmpty else { return record }
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

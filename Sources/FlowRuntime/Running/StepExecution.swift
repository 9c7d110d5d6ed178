import APITransport
import FlowCore
import Foundation

/// Runs one step: evaluates its vars, sends its request (again while `retry.until` does not hold), checks
/// expectations, then captures values.
struct StepExecution {
    struct Outcome {
        var record: StepRecord
        var captures: [String: JSONValue]
        var failure: FlowResult.Failure?
        /// Credentials the response handed out (see ``SensitiveFields/secretValues(in:)``) or captured under a
        /// sensitive name: masked in the whole flow's result.
        var secrets: [String] = []
    }

    let step: Step
    let phase: StepRecord.Phase
    let baseURL: URL
    let client: any FlowHTTPClient
    let layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])
    /// The actor's access token (`as:`), attached as `Authorization: Bearer`.
    let bearerToken: String?
    /// When the flow's time is up (setup and main steps), or `nil` (teardown).
    let deadline: ContinuousClock.Instant?
    /// The step's own variables, evaluated once by the caller (who also needs them for the actor's credentials),
    /// or why they could not be.
    let stepVars: Result<[String: JSONValue], StepVariableError>
    /// The secrets known when the step starts; the step adds the credentials it sends and receives.
    let masker: SecretMasker
    /// Whether the request, the response and a curl line are recorded (reports); a load test, which keeps only
    /// figures, turns it off (``FlowRunner/recordsExchanges``).
    var recordsExchanges = true
    /// Checks the response against the OpenAPI contract (``FlowRunner/contractCheck``), unless the request is
    /// `undocumented: true`.
    var contractCheck: ContractCheck?

    /// The scope the step's templates see: step vars, captures, flow vars, target vars (highest priority first).
    static func scope(
        stepVars: [String: JSONValue], layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])
    ) -> TemplateScope {
        TemplateScope(layers: [stepVars, layers.captures, layers.flowVars, layers.targetVars])
    }

    /// Evaluates the step's own variables in order.
    static func stepVariables(
        of step: Step, layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])
    ) throws(StepVariableError) -> [String: JSONValue] {
        var stepVars: [String: JSONValue] = [:]
        for variable in step.vars {
            do {
                stepVars[variable.name] = try variable.value.evaluate(in: scope(stepVars: stepVars, layers: layers))
            } catch {
                throw StepVariableError(message: "step variable '\(variable.name)': \(error)")
            }
        }
        return stepVars
    }

    struct StepVariableError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Why a step stopped before passing: its status, the message recorded and the kind of failure.
    struct Stop: Error {
        var status: StepRecord.Status
        var message: String
        var kind: FailureKind
    }

    /// What a step has recorded so far, and the secrets it has learned (masked in everything recorded after).
    struct Progress {
        let started = ContinuousClock.now
        var record: StepRecord
        var masker: SecretMasker
        var discovered: [String] = []

        /// Adds credentials the step sent or received to the secrets masked from here on.
        mutating func learn(_ secrets: [String]) {
            discovered += secrets
            masker = masker.adding(secrets)
        }
    }

    /// Runs the step as a sequence of named stages — its variables, the request, sending (and polling), recording
    /// the response, checking expectations, capturing — any of which can stop it.
    func run() async -> Outcome {
        var record = StepRecord(name: step.name, status: .passed, assertions: [], duration: .zero)
        record.phase = phase
        record.actor = step.actor
        record.undocumented = step.request.undocumented
        var progress = Progress(record: record, masker: masker)
        do throws(Stop) {
            let scope = Self.scope(stepVars: try variables(), layers: layers)
            let request = try prepare(scope: scope, progress: &progress)
            var (response, polling) = try await send(request, scope: scope, progress: &progress)
            let body = recordResponse(&response, request: request, progress: &progress)
            try check(response, body: body, scope: scope, polling: polling, progress: &progress)
            try checkContract(progress: progress)
            let captured = try capture(from: response, body: body, progress: &progress)
            return finish(&progress, status: .passed, stop: nil, captures: captured)
        } catch {
            return finish(&progress, status: error.status, stop: error)
        }
    }

    /// The outcome: the record with its status and duration; for a stop, the failure with its full details.
    private func finish(_ progress: inout Progress, status: StepRecord.Status, stop: Stop?, captures: [String: JSONValue] = [:]) -> Outcome {
        progress.record.duration = progress.started.duration(to: .now)
        progress.record.status = status
        guard let stop else { return Outcome(record: progress.record, captures: captures, failure: nil, secrets: progress.discovered) }
        let message = progress.masker.mask(stop.message)
        progress.record.message = message
        let failure = FlowResult.Failure(
            step: step.name, summary: "step '\(step.name)': \(message.split(separator: "\n").first.map(String.init) ?? message)",
            details: details(message: message, record: progress.record), kind: stop.kind)
        return Outcome(record: progress.record, captures: captures, failure: failure, secrets: progress.discovered)
    }

    /// The step's own variables, evaluated by the caller.
    private func variables() throws(Stop) -> [String: JSONValue] {
        switch stepVars {
        case .success(let values): return values
        case .failure(let error): throw Stop(status: .errored, message: "\(error)", kind: .templateError)
        }
    }

    /// The request rendered from its templates, with the actor's token; recorded (masked) with its curl line.
    private func prepare(scope: TemplateScope, progress: inout Progress) throws(Stop) -> APIRequest {
        var request: APIRequest
        do {
            request = try RequestBuilder.build(step.request, baseURL: baseURL, scope: scope)
        } catch {
            switch error {
            case .template(let templateError, let field):
                throw Stop(status: .errored, message: "\(field): \(templateError)", kind: .templateError)
            case .invalidURL(let text):
                throw Stop(status: .errored, message: "invalid URL '\(RecordedText.bound(text, masker: progress.masker))'", kind: .invalidURL)
            case .invalidHeader(let name, let problem):
                throw Stop(status: .errored, message: "header '\(name)': the rendered value \(problem); the request was not sent", kind: .invalidHeader)
            }
        }
        // An actor's token goes to the target only: a step whose absolute URL names another origin is sent without it.
        if let bearerToken, Self.sameOrigin(request.url, baseURL) { request.headers.append(("Authorization", "Bearer " + bearerToken)) }
        progress.learn(RequestBuilder.credentials(in: request.headers))
        if recordsExchanges {
            progress.record.request = RecordedRequest(request, masker: progress.masker)
            progress.record.curl = CurlCommand.render(request, masker: progress.masker)
        }
        return request
    }

    /// Sends the request — again, after `retry.interval`, while `retry.until` does not hold — within the step's
    /// timeout and the flow's deadline.
    /// - Returns: the last response, and the `until` results of the last attempt with the number of attempts.
    private func send(
        _ request: APIRequest, scope: TemplateScope, progress: inout Progress
    ) async throws(Stop) -> (APIResponse, (results: [AssertionResult], attempts: Int)) {
        var attempt = 0
        while true {
            attempt += 1
            progress.record.attempts = attempt
            let response = try await sendOnce(request, attempt: attempt, progress: &progress)
            guard let retry = step.retry else { return (response, ([], attempt)) }
            let results: [AssertionResult]
            do {
                let body = ResponseJSON(response.body, needed: retry.until.readsJSON)
                results = try ExpectationChecker(expectation: retry.until, response: response, scope: scope, body: body, masker: progress.masker).check()
            } catch {
                throw Stop(status: .errored, message: "retry until: \(error)", kind: .templateError)
            }
            if results.allSatisfy(\.passed) || attempt >= retry.attempts { return (response, (results, attempt)) }
            let interrupted = Stop(
                status: .errored, message: "interrupted while polling (after \(attempt) of \(retry.attempts) attempts)", kind: .interrupted)
            if Task.isCancelled { throw interrupted }
            try? await Task.sleep(for: retry.interval)
            if Task.isCancelled { throw interrupted }
        }
    }

    /// One request within what is left of the step's timeout and the flow's deadline.
    private func sendOnce(_ request: APIRequest, attempt: Int, progress: inout Progress) async throws(Stop) -> APIResponse {
        var timeout = step.timeout ?? FlowRunner.defaultStepTimeout
        if let deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                progress.record.attempts = max(attempt - 1, 1)
                throw Stop(status: .errored, message: "flow timeout reached before this request was sent", kind: .timeout)
            }
            timeout = min(timeout, remaining)
        }
        do {
            return try await client.perform(request, timeout: timeout)
        } catch {
            if Task.isCancelled {
                throw Stop(status: .errored, message: "interrupted while waiting for the response (attempt \(attempt))", kind: .interrupted)
            }
            let flowTimedOut = deadline.map { ContinuousClock.now >= $0 } ?? false
            let reason =
                flowTimedOut ? " — the flow timeout was reached" : (error.kind == .timeout ? " — no response within \(DurationText.seconds(timeout)) s" : "")
            let masker = progress.masker
            throw Stop(
                status: .errored,
                message:
                    "transport error (\(error.kind.rawValue)): \(RecordedText.bound(error.message, masker: masker)) (\(request.method) \(RecordedText.bound(error.url.absoluteString, masker: masker)))\(reason)",
                kind: .transportError)
        }
    }

    /// Parses the body when something reads it (or it may name credentials), learns the credentials it hands out and
    /// records the response (masked, bounded). Unless a body matcher or a regex capture still reads the text, the
    /// bytes are let go, so a large response is held once (as its parsed value), not twice.
    private func recordResponse(_ response: inout APIResponse, request: APIRequest, progress: inout Progress) -> ResponseJSON {
        let needsJSON = step.expect.readsJSON || step.captures.contains { if case .json = $0.source { return true } else { return false } }
        let body = ResponseJSON(response.body, needed: needsJSON || SensitiveFields.mayName(response.body))
        progress.learn(body.value.map(SensitiveFields.secretValues) ?? [])
        progress.learn(RequestBuilder.credentials(in: response.headers))
        if recordsExchanges { progress.record.response = RecordedResponse(response, parsed: body.value, masker: progress.masker) }
        if let contractCheck, !step.request.undocumented {
            let found = contractCheck.contract.violations(request: request, response: response, body: body.value, baseURL: baseURL)
            progress.record.contractViolations = found.map { violation in
                var violation = violation
                violation.message = progress.masker.mask(violation.message)
                return violation
            }
        }
        let readsText = step.expect.body != nil || step.captures.contains { if case .regex = $0.source { return true } else { return false } }
        if !readsText { response.body = Data() }
        return body
    }

    /// Checks `expect:` (after the last `retry.until` results); every failed assertion is one line of the message.
    private func check(
        _ response: APIResponse, body: ResponseJSON, scope: TemplateScope, polling: (results: [AssertionResult], attempts: Int),
        progress: inout Progress
    ) throws(Stop) {
        let checker = ExpectationChecker(expectation: step.expect, response: response, scope: scope, body: body, masker: progress.masker)
        do {
            progress.record.assertions =
                polling.results.map { result in
                    var result = result
                    result.subject = "retry until \(result.subject) (\(polling.attempts) attempt\(polling.attempts == 1 ? "" : "s"))"
                    return result
                } + (try checker.check())
        } catch {
            throw Stop(status: .errored, message: "expectation: \(error)", kind: .templateError)
        }
        let failed = progress.record.assertions.filter { !$0.passed }
        guard failed.isEmpty else {
            let lines = failed.map { result in
                var line = "\(result.subject) expected \(result.expected), actual \(result.actual)"
                if let diff = result.diff { line += "\n" + diff.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") }
                return line
            }
            throw Stop(status: .failed, message: lines.joined(separator: "\n"), kind: .assertionFailure)
        }
    }

    /// Fails the step when its response broke the contract and violations fail steps (`--contract-violations=fail`).
    private func checkContract(progress: Progress) throws(Stop) {
        guard contractCheck?.failsSteps == true, !progress.record.contractViolations.isEmpty else { return }
        let lines = progress.record.contractViolations.map { "contract: \($0.description)" }
        throw Stop(status: .failed, message: lines.joined(separator: "\n"), kind: .contractViolation)
    }

    /// The step's captures; a capture under a sensitive name becomes a secret.
    private func capture(from response: APIResponse, body: ResponseJSON, progress: inout Progress) throws(Stop) -> [String: JSONValue] {
        var captured: [String: JSONValue] = [:]
        for capture in step.captures {
            switch CaptureExtractor.extract(capture, from: response, body: body) {
            case .success(let value):
                captured[capture.name] = value
                if SensitiveFields.isSensitive(capture.name), case .string(let text) = value, text.count >= 8 { progress.learn([text]) }
            case .failure(let problem):
                throw Stop(status: .failed, message: "capture '\(capture.name)': \(problem.message)", kind: .assertionFailure)
            }
        }
        return captured
    }

    /// Whether `url` has `base`'s scheme, host and port (RFC 6454 origin; default ports made explicit).
    static func sameOrigin(_ url: URL, _ base: URL) -> Bool {
        func origin(_ url: URL) -> (String, String, Int)? {
            guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
            return (scheme, host, url.port ?? (scheme == "https" ? 443 : 80))
        }
        guard let a = origin(url), let b = origin(base) else { return false }
        return a == b
    }

    /// Full failure text: step and location, the problem, the request line, the response status and a body excerpt,
    /// and a curl command that repeats the request.
    private func details(message: String, record: StepRecord) -> String {
        var where_ = "\(step.location.file):\(step.location.line)"
        if let included = step.includedFrom { where_ += ", included at \(included.file):\(included.line)" }
        var lines = ["step '\(step.name)'\(step.actor.map { " as \($0)" } ?? "") (\(where_))"]
        lines += message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        if let request = record.request {
            lines.append("request: \(request.method) \(request.url)")
            if let body = request.bodyExcerpt { lines.append("request body (excerpt): \(body)") }
        }
        if let response = record.response {
            lines.append(
                "response: \(response.status) in \(DurationText.seconds(response.duration)) s\(record.attempts > 1 ? " (attempt \(record.attempts))" : "")")
            lines.append("response body (excerpt):")
            lines.append(response.bodyExcerpt.isEmpty ? "(empty)" : response.bodyExcerpt)
        }
        if let curl = record.curl { lines.append("reproduce: \(curl)") }
        return lines.joined(separator: "\n")
    }
}

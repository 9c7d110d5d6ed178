import FlowCore
import Foundation
import APITransport

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

    /// The scope the step's templates see: step vars, captures, flow vars, target vars (highest priority first).
    static func scope(stepVars: [String: JSONValue], layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])) -> TemplateScope {
        TemplateScope(layers: [stepVars, layers.captures, layers.flowVars, layers.targetVars])
    }

    /// Evaluates the step's own variables in order.
    static func stepVariables(of step: Step, layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])) throws(StepVariableError) -> [String: JSONValue] {
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

    func run() async -> Outcome {
        let started = ContinuousClock.now
        var record = StepRecord(name: step.name, status: .passed, assertions: [], duration: .zero)
        record.phase = phase
        record.actor = step.actor
        record.undocumented = step.request.undocumented
        var masker = self.masker
        var discovered: [String] = []
        func learn(_ secrets: [String]) {
            discovered += secrets
            masker = masker.adding(secrets)
        }
        func finish(_ status: StepRecord.Status, message: String?, kind: FailureKind?, captures: [String: JSONValue] = [:]) -> Outcome {
            record.duration = started.duration(to: .now)
            record.status = status
            let message = message.map { masker.mask($0) }
            record.message = message
            guard let message else { return Outcome(record: record, captures: captures, failure: nil, secrets: discovered) }
            let failure = FlowResult.Failure(
                step: step.name, summary: "step '\(step.name)': \(message.split(separator: "\n").first.map(String.init) ?? message)",
                details: details(message: message, record: record), kind: kind ?? .unknown)
            return Outcome(record: record, captures: captures, failure: failure, secrets: discovered)
        }

        let stepVars: [String: JSONValue]
        switch self.stepVars {
        case .success(let values): stepVars = values
        case .failure(let error): return finish(.errored, message: "\(error)", kind: .templateError)
        }
        let scope = Self.scope(stepVars: stepVars, layers: layers)

        var request: APIRequest
        do {
            request = try RequestBuilder.build(step.request, baseURL: baseURL, scope: scope)
        } catch {
            switch error {
            case .template(let templateError, let field):
                return finish(.errored, message: "\(field): \(templateError)", kind: .templateError)
            case .invalidURL(let text):
                return finish(.errored, message: "invalid URL '\(RecordedText.bound(text, masker: masker))'", kind: .invalidURL)
            case .invalidHeader(let name, let problem):
                return finish(.errored, message: "header '\(name)': the rendered value \(problem); the request was not sent", kind: .invalidHeader)
            }
        }
        if let bearerToken { request.headers.append(("Authorization", "Bearer " + bearerToken)) }
        learn(RequestBuilder.credentials(in: request.headers))
        record.request = RecordedRequest(request, masker: masker)
        record.curl = CurlCommand.render(request, masker: masker)

        let stepTimeout = step.timeout ?? FlowRunner.defaultStepTimeout
        var response: APIResponse
        var untilResults: [AssertionResult] = []
        var attempt = 0
        while true {
            attempt += 1
            var timeout = stepTimeout
            if let deadline {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else {
                    record.attempts = max(attempt - 1, 1)
                    return finish(.errored, message: "flow timeout reached before this request was sent", kind: .timeout)
                }
                timeout = min(timeout, remaining)
            }
            do {
                response = try await client.perform(request, timeout: timeout)
            } catch {
                record.attempts = attempt
                if Task.isCancelled {
                    return finish(.errored, message: "interrupted while waiting for the response (attempt \(attempt))", kind: .interrupted)
                }
                let flowTimedOut = deadline.map { ContinuousClock.now >= $0 } ?? false
                let reason = flowTimedOut ? " — the flow timeout was reached" : (error.kind == .timeout ? " — no response within \(DurationText.seconds(timeout)) s" : "")
                return finish(
                    .errored,
                    message: "transport error (\(error.kind.rawValue)): \(RecordedText.bound(error.message, masker: masker)) (\(request.method) \(RecordedText.bound(error.url.absoluteString, masker: masker)))\(reason)",
                    kind: .transportError)
            }
            guard let retry = step.retry else { break }
            do {
                let body = ResponseJSON(response.body, needed: retry.until.readsJSON)
                untilResults = try ExpectationChecker(expectation: retry.until, response: response, scope: scope, body: body, masker: masker).check()
            } catch {
                return finish(.errored, message: "retry until: \(error)", kind: .templateError)
            }
            if untilResults.allSatisfy(\.passed) || attempt >= retry.attempts { break }
            if Task.isCancelled {
                record.attempts = attempt
                return finish(.errored, message: "interrupted while polling (after \(attempt) of \(retry.attempts) attempts)", kind: .interrupted)
            }
            try? await Task.sleep(for: retry.interval)
            if Task.isCancelled {
                record.attempts = attempt
                return finish(.errored, message: "interrupted while polling (after \(attempt) of \(retry.attempts) attempts)", kind: .interrupted)
            }
        }
        record.attempts = attempt
        let needsJSON = step.expect.readsJSON || step.captures.contains { if case .json = $0.source { return true } else { return false } }
        let body = ResponseJSON(response.body, needed: needsJSON || SensitiveFields.mayName(response.body))
        learn(body.value.map(SensitiveFields.secretValues) ?? [])
        learn(RequestBuilder.credentials(in: response.headers))
        record.response = RecordedResponse(response, parsed: body.value, masker: masker)
        // The bytes are recorded (excerpt, size, hash) and parsed: unless a body matcher or a regex capture still reads
        // the text, let them go, so a large response is held once (as its parsed value), not twice.
        let readsText = step.expect.body != nil || step.captures.contains { if case .regex = $0.source { return true } else { return false } }
        if !readsText { response.body = Data() }

        let checker = ExpectationChecker(expectation: step.expect, response: response, scope: scope, body: body, masker: masker)
        do {
            record.assertions = untilResults.map { result in
                var result = result
                result.subject = "retry until \(result.subject) (\(attempt) attempt\(attempt == 1 ? "" : "s"))"
                return result
            } + (try checker.check())
        } catch {
            return finish(.errored, message: "expectation: \(error)", kind: .templateError)
        }
        let failed = record.assertions.filter { !$0.passed }
        if !failed.isEmpty {
            let lines = failed.map { result in
                var line = "\(result.subject) expected \(result.expected), actual \(result.actual)"
                if let diff = result.diff { line += "\n" + diff.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") }
                return line
            }
            return finish(.failed, message: lines.joined(separator: "\n"), kind: .assertionFailure)
        }

        var captured: [String: JSONValue] = [:]
        for capture in step.captures {
            switch CaptureExtractor.extract(capture, from: response, body: body) {
            case .success(let value):
                captured[capture.name] = value
                if SensitiveFields.isSensitive(capture.name), case .string(let text) = value, text.count >= 8 { learn([text]) }
            case .failure(let problem):
                return finish(.failed, message: "capture '\(capture.name)': \(problem.message)", kind: .assertionFailure)
            }
        }
        return finish(.passed, message: nil, kind: nil, captures: captured)
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
            lines.append("response: \(response.status) in \(DurationText.seconds(response.duration)) s\(record.attempts > 1 ? " (attempt \(record.attempts))" : "")")
            lines.append("response body (excerpt):")
            lines.append(response.bodyExcerpt.isEmpty ? "(empty)" : response.bodyExcerpt)
        }
        if let curl = record.curl { lines.append("reproduce: \(curl)") }
        return lines.joined(separator: "\n")
    }
}

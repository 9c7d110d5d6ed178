import Foundation
import IllajwalaTesting

/// Runs one step: evaluates its vars, sends its request, checks expectations, then captures values.
struct StepExecution {
    struct Outcome {
        var record: StepRecord
        var captures: [String: JSONValue]
        var failure: FlowResult.Failure?
    }

    let step: Step
    let baseURL: URL
    let client: any FlowHTTPClient
    let layers: (captures: [String: JSONValue], flowVars: [String: JSONValue], targetVars: [String: JSONValue])

    func run() async -> Outcome {
        let started = ContinuousClock.now
        var record = StepRecord(name: step.name, status: .passed, assertions: [], duration: 0)
        func finish(_ status: StepRecord.Status, message: String?, type: String, captures: [String: JSONValue] = [:]) -> Outcome {
            let duration = started.duration(to: .now)
            record.duration = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            record.status = status
            record.message = message
            guard let message else { return Outcome(record: record, captures: captures, failure: nil) }
            let failure = FlowResult.Failure(
                step: step.name, summary: "step '\(step.name)': \(message.split(separator: "\n").first.map(String.init) ?? message)",
                details: details(message: message, record: record), type: type)
            return Outcome(record: record, captures: captures, failure: failure)
        }

        var stepVars: [String: JSONValue] = [:]
        for variable in step.vars {
            do {
                stepVars[variable.name] = try variable.value.evaluate(in: scope(stepVars))
            } catch {
                return finish(.errored, message: "step variable '\(variable.name)': \(error)", type: "TemplateError")
            }
        }
        let scope = scope(stepVars)

        let request: APIRequest
        do {
            request = try RequestBuilder.build(step.request, baseURL: baseURL, scope: scope)
        } catch {
            switch error {
            case .template(let templateError, let field):
                return finish(.errored, message: "\(field): \(templateError)", type: "TemplateError")
            case .invalidURL(let text):
                return finish(.errored, message: "invalid URL '\(text)'", type: "InvalidURL")
            }
        }
        record.request = RecordedRequest(
            method: request.method, url: request.url.absoluteString, headers: RequestBuilder.masked(request.headers),
            bodyExcerpt: request.body.map { TextExcerpt.make(String(decoding: $0, as: UTF8.self)) })

        let response: APIResponse
        do {
            response = try await client.perform(request)
        } catch {
            return finish(.errored, message: "transport error (\(error.kind.rawValue)): \(error.message) (\(request.method) \(error.url.absoluteString))", type: "TransportError")
        }
        record.response = RecordedResponse(
            status: response.status, headers: response.headers.map { HeaderField(name: $0.name, value: $0.value) },
            bodyExcerpt: TextExcerpt.make(response.text), duration: response.duration)

        let checker = ExpectationChecker(expectation: step.expect, response: response, scope: scope)
        do {
            record.assertions = try checker.check()
        } catch {
            return finish(.errored, message: "expectation: \(error)", type: "TemplateError")
        }
        let failed = record.assertions.filter { !$0.passed }
        if !failed.isEmpty {
            let lines = failed.map { "\($0.subject) expected \($0.expected), actual \($0.actual)" }
            return finish(.failed, message: lines.joined(separator: "\n"), type: "AssertionFailure")
        }

        var captured: [String: JSONValue] = [:]
        for capture in step.captures {
            switch CaptureExtractor.extract(capture, from: response, body: checker.parsedBody) {
            case .success(let value): captured[capture.name] = value
            case .failure(let problem):
                return finish(.failed, message: "capture '\(capture.name)': \(problem.message)", type: "AssertionFailure")
            }
        }
        return finish(.passed, message: nil, type: "", captures: captured)
    }

    private func scope(_ stepVars: [String: JSONValue]) -> TemplateScope {
        TemplateScope(layers: [stepVars, layers.captures, layers.flowVars, layers.targetVars])
    }

    /// Full failure text: step and location, the problem, the request line, the response status and a body excerpt.
    private func details(message: String, record: StepRecord) -> String {
        var lines = ["step '\(step.name)' (\(step.location.file):\(step.location.line))"]
        lines += message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        if let request = record.request {
            lines.append("request: \(request.method) \(request.url)")
        }
        if let response = record.response {
            lines.append("response: \(response.status) in \(DurationText.seconds(response.duration)) s")
            lines.append("response body (excerpt):")
            lines.append(response.bodyExcerpt.isEmpty ? "(empty)" : response.bodyExcerpt)
        }
        return lines.joined(separator: "\n")
    }
}

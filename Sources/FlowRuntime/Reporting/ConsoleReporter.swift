import FlowCore
import Foundation

/// What `illajwala-flows run` prints while and after flows run.
///
/// - ``Verbosity/normal``: one line per flow (`PASS`/`FAIL`/`ERROR`/`FLAKY`/`SKIP`, name, file, seconds; `ERROR` for a
///   flow that could not be carried out — a transport error, a timeout, a template error); a failure adds
///   its full text (step, expectation, actual value, JSON diff, request and response excerpts, a curl line).
/// - ``Verbosity/quiet``: only failures (with their full text) and the final lines.
/// - ``Verbosity/verbose``: as normal, plus every step's request and response (headers and body excerpts).
///
/// With ``live`` (a terminal, not CI) a status line — flows done, running flows and their current step — is
/// redrawn in place while flows run (ANSI erase-line), and erased before each permanent line.
/// The last line is always the tally, `N passed, N failed, N skipped` (errored flows counted as failed), alone on its
/// line; the line before it says how many flows errored, when any did.
///
/// Text from the target (response bodies, headers, messages) is shown with control characters escaped
/// (``TerminalText``): a response cannot move the cursor, recolour or clear the reader's terminal.
public final class ConsoleReporter: @unchecked Sendable {
    /// How much is printed.
    public enum Verbosity: Sendable {
        case quiet, normal, verbose
    }

    private let verbosity: Verbosity
    private let live: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var total = 0
    private var done = 0
    private var running: [String: (step: String, started: Date)] = [:]
    private var statusShown = false

    /// - Parameters:
    ///   - verbosity: how much to print.
    ///   - live: redraw a progress line (only for a terminal).
    ///   - write: receives text exactly as to be written (lines end in `\n`; the live line uses `\r` and ANSI).
    public init(verbosity: Verbosity, live: Bool, write: @escaping @Sendable (String) -> Void) {
        self.verbosity = verbosity
        self.live = live
        self.write = write
    }

    /// Whether standard output is a terminal and the environment does not say CI (`CI` set) or `TERM=dumb`.
    public static func standardOutputIsInteractive(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) == 1 && environment["CI"] == nil && environment["TERM"] != "dumb"
    }

    /// The run is about to start `count` flows.
    public func begin(count: Int) {
        lock.withLock { total = count }
    }

    /// A flow started or moved on to a step.
    public func progress(flow: String, step: String) {
        guard live else { return }
        lock.withLock {
            running[flow] = (step, running[flow]?.started ?? Date())
            drawStatus()
        }
    }

    /// A flow finished (or was skipped): prints its lines.
    public func finished(_ result: FlowResult) {
        lock.withLock {
            done += 1
            running[result.name] = nil
            var lines: [String] = []
            let failed = result.status == .failed || result.status == .errored
            if verbosity != .quiet || failed { lines.append(Self.line(for: result)) }
            if failed, let failure = result.failure {
                lines += failure.details.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }
            }
            if verbosity == .verbose { lines += Self.stepLines(result) }
            emit(lines)
            if live { drawStatus() }
        }
    }

    /// Prints the closing lines: flaky flows, an interruption, the tally (last).
    public func end(_ report: RunReport, notes: [String] = []) {
        lock.withLock {
            var lines: [String] = []
            let flaky = report.results.filter(\.isFlaky)
            if !flaky.isEmpty {
                lines.append("\(flaky.count) flaky (passed only on a retry): " + flaky.map(\.name).joined(separator: "; "))
            }
            if let interruption = report.interruption { lines.append("run interrupted: \(interruption)") }
            lines += notes
            if report.erroredCount > 0 {
                let flows = report.erroredCount == 1 ? "1 flow" : "\(report.erroredCount) flows"
                lines.append("\(flows) errored (could not be carried out: transport error, timeout or template error), counted as failed below")
            }
            lines.append(report.tally)
            emit(lines)
        }
    }

    /// Prints lines that are not about one flow (e.g. report problems), clearing the live line first.
    public func note(_ text: String) {
        lock.withLock { emit([text]) }
    }

    private func emit(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        var text = ""
        if statusShown {
            text += "\r\u{1B}[2K"
            statusShown = false
        }
        text += lines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
        write(text)
    }

    private func drawStatus() {
        guard !running.isEmpty else {
            if statusShown {
                write("\r\u{1B}[2K")
                statusShown = false
            }
            return
        }
        let current = running.min { $0.value.started < $1.value.started }
        var text = "[\(done)/\(total)] \(running.count) running"
        if let current {
            let running = Duration.fractionalSeconds(Date().timeIntervalSince(current.value.started))
            text += " · \(current.key) › \(current.value.step) (\(DurationText.seconds(running)) s)"
        }
        let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        if text.count > width - 1 { text = String(text.prefix(max(width - 2, 10))) + "…" }
        write("\r\u{1B}[2K" + TerminalText.escaped(text))
        statusShown = true
    }

    /// `PASS  name  (file, 0.123 s)`; failures add the one-line reason, flaky flows their attempt count.
    static func line(for result: FlowResult) -> String {
        let label: String
        switch result.status {
        case .passed: label = result.isFlaky ? "FLAKY" : "PASS"
        case .failed: label = "FAIL"
        case .errored: label = "ERROR"
        case .skipped: label = "SKIP"
        }
        var line = "\(label)  \(result.name)  (\(result.source.suiteName), \(DurationText.seconds(result.duration)) s)"
        if result.isFlaky {
            line += "  passed on attempt \(result.previousAttempts.count + 1), after: \(result.previousAttempts[0].failure?.summary ?? "a failure")"
        } else if result.status != .passed, !result.previousAttempts.isEmpty {
            line += "  (failed all \(result.previousAttempts.count + 1) attempts)"
        }
        if result.status != .passed, let failure = result.failure { line += "  \(failure.summary)" }
        return line
    }

    /// Every step's request and response, indented under the flow line.
    static func stepLines(_ result: FlowResult) -> [String] {
        var lines: [String] = []
        for step in result.steps {
            var head = "      [\(step.status.rawValue)] \(step.name)"
            if let actor = step.actor { head += " (as \(actor))" }
            if step.phase != .main { head += " [\(step.phase.rawValue)]" }
            head += " \(DurationText.seconds(step.duration)) s"
            if step.attempts > 1 { head += ", \(step.attempts) attempts" }
            lines.append(head)
            if let request = step.request {
                lines.append("        > \(request.method) \(request.url)")
                lines += request.headers.map { "        > \($0.name): \($0.value)" }
                if let body = request.bodyExcerpt { lines.append("        > " + body.replacingOccurrences(of: "\n", with: "\n        > ")) }
            }
            if let response = step.response {
                lines.append("        < \(response.status) (\(DurationText.milliseconds(response.duration * 1000)) ms)")
                lines += response.headers.map { "        < \($0.name): \($0.value)" }
                if !response.bodyExcerpt.isEmpty {
                    lines.append("        < " + response.bodyExcerpt.replacingOccurrences(of: "\n", with: "\n        < "))
                }
            }
        }
        return lines
    }
}

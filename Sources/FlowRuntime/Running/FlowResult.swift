import FlowCore
import Foundation

/// The outcome of one flow.
public struct FlowResult: Sendable, Hashable {
    /// Overall outcome of a flow.
    public enum Status: String, Sendable, Hashable {
        /// Every step passed.
        case passed
        /// An expectation or capture did not hold.
        case failed
        /// The flow could not be carried out: transport error, template error, invalid URL.
        case errored
        /// The flow did not run (the run was cancelled before it started).
        case skipped
    }

    /// Why a flow did not pass.
    public struct Failure: Sendable, Hashable {
        /// The step that failed (`vars` when the flow's variables could not be evaluated).
        public var step: String
        /// One line for summaries and the JUnit `message` attribute.
        public var summary: String
        /// Full text: step, expectations with expected and actual values, request, response excerpt.
        public var details: String
        /// Why the flow did not pass (an assertion, the transport, a template, a timeout, an interruption …).
        public var kind: FailureKind

        /// Creates a failure; see the properties.
        public init(step: String, summary: String, details: String, kind: FailureKind) {
            self.step = step
            self.summary = summary
            self.details = details
            self.kind = kind
        }
    }

    /// Flow name.
    public var name: String
    /// The flow's file.
    public var source: FlowSource
    /// Overall outcome.
    public var status: Status
    /// One record per step of the flow, in order (later steps `skipped` after a failure).
    public var steps: [StepRecord]
    /// When the flow started.
    public var startedAt: Date
    /// Wall time in seconds.
    public var duration: Duration
    /// Why the flow did not pass, or `nil` when it passed.
    public var failure: Failure?
    /// Earlier attempts that failed or errored before this one (`--retries`), oldest first. A passed flow with
    /// earlier attempts is *flaky*: reported as passing with each earlier failure as a `<flakyFailure>`.
    public var previousAttempts: [FlowResult]
    /// The matrix values this test case was expanded with (`matrix:`), in the flow file's order; empty otherwise.
    public var matrix: [MatrixBinding] = []
    /// The quarantine entry that applied to this flow (`Flows/quarantine.yaml`), with its real outcome.
    public var quarantine: QuarantineNote?

    /// Passed only after failing on earlier attempts.
    public var isFlaky: Bool { status == .passed && !previousAttempts.isEmpty }

    /// Every step this flow recorded: earlier attempts' (`--retries`) first, then the last attempt's — what API
    /// coverage, contract violations and changed-operation selection read.
    public var recordedSteps: [StepRecord] { previousAttempts.flatMap(\.steps) + steps }

    /// Creates a result; see the properties.
    public init(
        name: String, source: FlowSource, status: Status, steps: [StepRecord], startedAt: Date, duration: Duration,
        failure: Failure?, previousAttempts: [FlowResult] = []
    ) {
        self.name = name
        self.source = source
        self.status = status
        self.steps = steps
        self.startedAt = startedAt
        self.duration = duration
        self.failure = failure
        self.previousAttempts = previousAttempts
    }
}

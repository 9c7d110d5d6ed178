import Foundation

/// A header field as recorded in reports (secrets masked).
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The request a step sent, as recorded for reports.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Headers as sent; `Authorization`, `Cookie` and API-key values are masked.
    public var headers: [HeaderField]
    /// At most 2 KiB of the body, or `nil` when there was none.
    public var bodyExcerpt: String?
}

/// The response a step received, as recorded for reports.
public struct RecordedResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HeaderField]
    /// At most 2 KiB of the body text.
    public var bodyExcerpt: String
    /// Round-trip time in seconds.
    public var duration: TimeInterval
}

/// What happened in one step.
public struct StepRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case passed, failed, errored, skipped
    }

    public var name: String
    public var status: Status
    public var request: RecordedRequest?
    public var response: RecordedResponse?
    /// Every expectation checked, passed or not, in file order.
    public var assertions: [AssertionResult]
    /// Wall time of the whole step in seconds.
    public var duration: TimeInterval
    /// Why the step failed or errored, or `nil`.
    public var message: String?
}

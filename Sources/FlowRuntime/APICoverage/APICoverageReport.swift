/// Which operations of an OpenAPI document a run's requests exercised.
///
/// Only requests that received a response count (a transport error proves nothing about the API). The totals are
/// over every operation of the document, whatever flows were selected.
public struct APICoverageReport: Sendable, Hashable {
    /// One operation and what the run sent to it.
    public struct Operation: Sendable, Hashable {
        /// The operation.
        public var operation: APIOperation
        /// Responses received from it (0 when it was not exercised); a step that polled counts once.
        public var requests: Int
        /// Status codes received, ascending, each once.
        public var exercisedStatusCodes: [Int]
        /// Declared response keys (`"404"`, `"4XX"`, `"default"`) no received status fell under, in document order.
        public var unexercisedStatusCodes: [String]
        /// Received status codes the document does not declare for this operation, ascending (the spec or the
        /// service is wrong).
        public var undeclaredStatusCodes: [Int]
        /// Contract violations its responses showed (`--openapi-validate`; the steps name them).
        public var contractViolations = 0

        /// At least one response came from this operation.
        public var exercised: Bool { requests > 0 }

        /// Creates an entry; see the properties.
        public init(
            operation: APIOperation, requests: Int, exercisedStatusCodes: [Int], unexercisedStatusCodes: [String], undeclaredStatusCodes: [Int]
        ) {
            self.operation = operation
            self.requests = requests
            self.exercisedStatusCodes = exercisedStatusCodes
            self.unexercisedStatusCodes = unexercisedStatusCodes
            self.undeclaredStatusCodes = undeclaredStatusCodes
        }
    }

    /// A request that matched no operation: the flow or the document is wrong.
    public struct UnmatchedRequest: Sendable, Hashable {
        /// HTTP method as sent.
        public var method: String
        /// The full URL as recorded (secrets masked).
        public var url: String
        /// The path below the base URL (`/api/nope`), or `nil` when the URL is not under the base URL.
        public var path: String?
        /// The status received.
        public var status: Int
        /// The flow's report name (see ``ReportCaseNames``).
        public var flow: String
        /// The step's name.
        public var step: String

        /// Creates an entry; see the properties.
        public init(method: String, url: String, path: String?, status: Int, flow: String, step: String) {
            self.method = method
            self.url = url
            self.path = path
            self.status = status
            self.flow = flow
            self.step = step
        }
    }

    /// The OpenAPI document's path as given (`openapi.yaml`).
    public var document: String
    /// Every operation of the document, in document order.
    public var operations: [Operation]
    /// Requests that matched no operation, in run order.
    public var unmatchedRequests: [UnmatchedRequest]

    /// Creates a report; see the properties.
    public init(document: String, operations: [Operation], unmatchedRequests: [UnmatchedRequest]) {
        self.document = document
        self.operations = operations
        self.unmatchedRequests = unmatchedRequests
    }

    /// Contract violations over every operation (`--openapi-validate`).
    public var contractViolationCount: Int { operations.reduce(0) { $0 + $1.contractViolations } }

    /// Operations in the document.
    public var operationCount: Int { operations.count }
    /// Operations at least one response came from.
    public var exercisedCount: Int { operations.count(where: \.exercised) }
    /// `exercisedCount * 100 / operationCount`, unrounded; 100 for a document without operations.
    public var percent: Double { operationCount == 0 ? 100 : Double(exercisedCount) * 100 / Double(operationCount) }
    /// Declared response keys over all operations.
    public var declaredStatusCodeCount: Int { operations.reduce(0) { $0 + $1.operation.declaredStatusCodes.count } }
    /// Declared response keys some received status fell under.
    public var exercisedDeclaredStatusCodeCount: Int {
        operations.reduce(0) { $0 + $1.operation.declaredStatusCodes.count - $1.unexercisedStatusCodes.count }
    }

    /// `17/40 operations (42.5%)`.
    public var totalsText: String { "\(exercisedCount)/\(operationCount) operations (\(Self.percentText(percent))%)" }

    /// A percentage with at most one decimal and a dot, whatever the locale: `42.5`, `100`, `0`.
    public static func percentText(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded(.down))
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}

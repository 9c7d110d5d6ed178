/// One operation of an OpenAPI document: a method on a path template.
public struct APIOperation: Sendable, Hashable {
    /// HTTP method, upper case (`GET`, `POST`, …).
    public var method: String
    /// The path template as the document writes it, e.g. `/api/doctors/{id}/availability`.
    public var pathTemplate: String
    /// The `operationId`, or `nil` when the document gives none.
    public var operationId: String?
    /// The keys of `responses` in document order: status codes (`"200"`), ranges (`"2XX"`) or `"default"`.
    public var declaredStatusCodes: [String]

    /// Creates an operation; `method` is upper-cased.
    public init(method: String, pathTemplate: String, operationId: String? = nil, declaredStatusCodes: [String] = []) {
        self.method = method.uppercased()
        self.pathTemplate = pathTemplate
        self.operationId = operationId
        self.declaredStatusCodes = declaredStatusCodes
    }

    /// `GET /api/doctors/{id}`.
    public var label: String { "\(method) \(pathTemplate)" }
}

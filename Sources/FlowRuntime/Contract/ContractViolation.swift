/// A response that breaks the OpenAPI contract of the operation it answered: a status the operation does not
/// declare, a content type it does not declare for that status, a body that breaks the declared schema, or a
/// declared required header that is missing.
public struct ContractViolation: Sendable, Hashable, CustomStringConvertible {
    /// `GET /api/doctors/{id}`.
    public var operation: String
    /// The response's status code.
    public var status: Int
    /// The JSON Pointer of the offending value in the body (`/data/0/fee`), `""` for the whole body, `nil` when the
    /// violation is not about the body.
    public var pointer: String?
    /// What is wrong, with the schema location when a schema rule broke.
    public var message: String

    public init(operation: String, status: Int, pointer: String?, message: String) {
        self.operation = operation
        self.status = status
        self.pointer = pointer
        self.message = message
    }

    /// `GET /api/doctors/{id} 200: body /data/fee: expected integer, found string (#/components/schemas/Doctor/…)`.
    public var description: String {
        "\(operation) \(status): " + (pointer.map { "body \($0.isEmpty ? "/" : $0): " } ?? "") + message
    }
}

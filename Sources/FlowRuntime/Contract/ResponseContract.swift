import APITransport
import FlowCore
import Foundation

/// Contract checking for a run: the contract and whether a violation fails its step (`--contract-violations=fail`,
/// the default) or is only reported (`warn`).
public struct ContractCheck: Sendable {
    public var contract: ResponseContract
    public var failsSteps: Bool

    public init(contract: ResponseContract, failsSteps: Bool = true) {
        self.contract = contract
        self.failsSteps = failsSteps
    }
}

/// What `openapi.yaml` promises about every response (`run --openapi-validate`, on by default when the document
/// exists): for each operation and declared status, the media types and their schemas, and the required headers.
///
/// Loaded once per run: every response schema (and each schema its `$ref`s reach) is checked when the contract is
/// loaded, so an unsupported keyword is a usage error before anything is sent, never a silent pass. OpenAPI 3.1
/// schemas are JSON Schema 2020-12 (type arrays such as `[string, "null"]`); 3.0's `nullable: true` is honoured;
/// `$ref`s may point into the document or to other files beside it (inlined when loaded).
public struct ResponseContract: Sendable {
    struct Declared: Sendable {
        /// Media type (lower case, no parameters) → its schema, `nil` when the media type has none.
        var content: [String: JSONSchemaDocument?]
        /// Headers the response must carry (`required: true`), lower case.
        var requiredHeaders: [String]
    }

    /// The document's path, for messages.
    public let path: String
    let matcher: APIOperationMatcher
    /// Operation label → declared status key (`200`, `4XX`, `default`) → what it declares.
    let responses: [String: [String: Declared]]

    /// Reads the contract of the OpenAPI document at `path`.
    /// - Throws: ``OpenAPIDocumentError`` when the document cannot be read, a reference points nowhere or a response
    ///   schema uses a keyword the validator does not support (with its JSON Pointer).
    public static func load(_ path: String) throws(OpenAPIDocumentError) -> ResponseContract {
        let operations = try OpenAPIOperationsReader.read(fileAt: path)
        let document = try OpenAPIDocumentJSON.load(path)
        var responses: [String: [String: Declared]] = [:]
        for operation in operations {
            let base = "#/paths/\(JSONPointer.escape(operation.pathTemplate))/\(operation.method.lowercased())/responses"
            for key in operation.declaredStatusCodes {
                var pointer = base + "/" + JSONPointer.escape(key)
                var response = JSONPointer.resolve(pointer, in: document)
                var hops = 0
                while case .object(let members)? = response, case .string(let reference)? = members["$ref"], hops < 16 {
                    pointer = reference
                    response = JSONPointer.resolve(reference, in: document)
                    hops += 1
                }
                guard case .object(let members)? = response else {
                    throw OpenAPIDocumentError(file: path, message: "\(operation.label) response '\(key)' is not a Response Object (\(pointer))")
                }
                var declared = Declared(content: [:], requiredHeaders: [])
                if case .object(let content)? = members["content"] {
                    for (mediaType, media) in content {
                        let schemaPointer = pointer + "/content/" + JSONPointer.escape(mediaType) + "/schema"
                        guard case .object(let mediaMembers) = media, mediaMembers["schema"] != nil else {
                            declared.content[mediaType.lowercased()] = .some(nil)
                            continue
                        }
                        do {
                            declared.content[mediaType.lowercased()] = try JSONSchemaDocument(resource: document, schemaAt: schemaPointer, source: path)
                        } catch {
                            throw OpenAPIDocumentError(file: path, message: "\(operation.label) response '\(key)' \(mediaType): \(error.message)")
                        }
                    }
                }
                if case .object(let headers)? = members["headers"] {
                    for (name, header) in headers {
                        var header = header
                        if case .object(let fields) = header, case .string(let reference)? = fields["$ref"] {
                            header = JSONPointer.resolve(reference, in: document) ?? header
                        }
                        if case .object(let fields) = header, case .bool(true)? = fields["required"] {
                            declared.requiredHeaders.append(name.lowercased())
                        }
                    }
                }
                responses[operation.label, default: [:]][key] = declared
            }
        }
        return ResponseContract(path: path, matcher: APIOperationMatcher(operations), responses: responses)
    }

    /// Every way `response` to `request` breaks the contract; empty when it keeps it, or when the request matches no
    /// operation of the document (API coverage lists those) or goes to another origin than `baseURL`.
    /// - Parameter body: the parsed body when the caller already has it (parsed here otherwise, when a schema needs it).
    public func violations(request: APIRequest, response: APIResponse, body: JSONValue?, baseURL: URL) -> [ContractViolation] {
        guard let segments = RequestPath.segments(of: request.url.absoluteString, under: baseURL.absoluteString),
            let operation = matcher.operation(method: request.method, segments: segments)
        else { return [] }
        let label = operation.label
        func violation(_ pointer: String?, _ message: String) -> ContractViolation {
            ContractViolation(operation: label, status: response.status, pointer: pointer, message: message)
        }
        guard let key = DeclaredStatusCodes.key(for: response.status, in: operation.declaredStatusCodes),
            let declared = responses[label]?[key]
        else {
            return [violation(nil, "status \(response.status) is not declared (declared: \(operation.declaredStatusCodes.sorted().joined(separator: ", ")))")]
        }
        var found: [ContractViolation] = []
        let headerNames = Set(response.headers.map { $0.name.lowercased() })
        for name in declared.requiredHeaders.sorted() where !headerNames.contains(name) {
            found.append(violation(nil, "required header '\(name)' is missing"))
        }
        guard !declared.content.isEmpty, !response.body.isEmpty || body != nil else { return found }
        let contentType = response.headers.first { $0.name.lowercased() == "content-type" }?.value
        let mediaType = contentType.map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        guard let mediaType, let schema = declared.content[mediaType] ?? declared.content["*/*"] else {
            found.append(
                violation(
                    nil,
                    "content type \(contentType.map { "'\($0)'" } ?? "(none)") is not declared for \(key) (declared: \(declared.content.keys.sorted().joined(separator: ", ")))"
                ))
            return found
        }
        guard let schema else { return found }
        let value: JSONValue
        if !(mediaType.hasSuffix("/json") || mediaType.hasSuffix("+json")) {
            // A text media type (`text/plain`): its schema describes the text as a string.
            value = .string(String(decoding: response.body, as: UTF8.self))
        } else if let body {
            value = body
        } else {
            do {
                value = try JSONValue(parsing: response.body)
            } catch {
                found.append(violation("", "the body is not JSON (\(error))"))
                return found
            }
        }
        for broken in JSONSchemaValidator(document: schema).violations(of: value) {
            found.append(violation(broken.instancePath, "\(broken.message) (\(broken.schemaPath))"))
        }
        return found
    }
}

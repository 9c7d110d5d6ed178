import BookingCore
import Foundation
import Hummingbird

/// A request body type whose accepted top-level fields are fixed: anything else is rejected
/// (API.md: "unknown field in strict bodies" → 400 VALIDATION_ERROR).
public protocol StrictBody: Decodable, Sendable {
    /// The field names the body may contain.
    static var fields: Set<String> { get }
    /// Longest accepted value (in characters) of top-level string fields whose length no service rule bounds
    /// (tokens, gateway ids); other fields are bounded by their validation rules and every string by
    /// ``JSONBodyReader/maximumStringLength``.
    static var maxLengths: [String: Int] { get }
}

extension StrictBody {
    public static var maxLengths: [String: Int] { [:] }
}

/// Reads and validates JSON request bodies.
public enum JSONBodyReader {
    /// Keys refused anywhere in a JSON body: prototype-pollution names (API.md "Error codes").
    static let forbiddenKeys: Set<String> = ["__proto__", "constructor", "prototype"]
    /// Longest string accepted anywhere in a body, in characters (fields have tighter rules of their own).
    public static let maximumStringLength = 10_000

    /// Collects the body (bounded by the context's upload limit), checks media type, key hygiene and
    /// strictness, then decodes it.
    /// - Throws: ``APIError`` 415 for a non-JSON content type, 413 over the limit, 400 VALIDATION_ERROR with
    ///   `details` naming the field for malformed JSON, unknown or forbidden keys, wrong types or missing fields.
    public static func decode<T: StrictBody>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
        let data = try await raw(request, context: context)
        return try decode(type, from: data)
    }

    /// What a failed body read answers: 413 PAYLOAD_TOO_LARGE when the body went over `limit` bytes, else 408
    /// REQUEST_TIMEOUT — the client went away, stalled past `HTTP_IDLE_TIMEOUT_SECONDS`, or the server is stopping.
    static func bodyReadError(_ error: any Error, limit: Int) -> APIError {
        if let error = error as? any HTTPResponseError, error.status == .contentTooLarge { return .payloadTooLarge(limit: limit) }
        return .requestIncomplete
    }

    /// Collects the raw body after checking the media type and its nesting depth (``JSONNesting``).
    /// - Throws: ``APIError`` 415 / 413 / 408 REQUEST_TIMEOUT (the body stopped arriving) / 400 VALIDATION_ERROR
    ///   (`body` nested too deeply).
    public static func raw(_ request: Request, context: AppRequestContext) async throws -> Data {
        guard isJSON(request.headers[.contentType]) else { throw APIError.unsupportedMediaType }
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw bodyReadError(error, limit: context.maxUploadSize)
        }
        let data = Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
        // JSON between systems is UTF-8 without a byte order mark (RFC 8259 §8.1). Foundation's parser also reads
        // UTF-16 and UTF-32, which the byte scans below do not understand — a duplicate key in a UTF-16 body would
        // slip past them — so anything else is refused before any scan or parse. A raw NUL byte is never valid
        // JSON text and is how UTF-16/32 encodings of ASCII look.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) || data.contains(0) || String(validating: data, as: UTF8.self) == nil {
            throw APIError(
                status: .badRequest, code: "VALIDATION_ERROR", message: "request body must be UTF-8 JSON without a byte order mark",
                details: ["body": "is not UTF-8 JSON text"])
        }
        if JSONNesting.exceeds(in: data) {
            throw APIError(
                status: .badRequest, code: "VALIDATION_ERROR",
                message: "request body nests arrays and objects deeper than \(JSONNesting.maximumDepth) levels",
                details: ["body": "is nested deeper than \(JSONNesting.maximumDepth) levels"])
        }
        if let duplicate = JSONDuplicateKeys.firstDuplicate(in: data) {
            throw APIError.validation(field: duplicate, problem: "appears more than once")
        }
        return data
    }

    /// Whether a `Content-Type` is JSON: `application/json`, optionally with parameters, and a `charset` (if any)
    /// of UTF-8 — the only encoding JSON exchanged between systems may use (RFC 8259 §8.1).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let parts = contentType.lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first == "application/json" else { return false }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if !["utf-8", "utf8", "us-ascii"].contains(charset) { return false }
        }
        return true
    }

    /// Decodes already-collected bytes (see ``decode(_:from:context:)``).
    public static func decode<T: StrictBody>(_ type: T.Type, from data: Data) throws -> T {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError(
                status: .badRequest, code: "VALIDATION_ERROR", message: "request body is not valid JSON",
                details: ["body": "is not valid JSON"])
        }
        guard let dictionary = object as? [String: Any] else {
            throw APIError.validation(field: "body", problem: "must be a JSON object")
        }
        try checkKeys(dictionary, path: "")
        for (field, limit) in T.maxLengths {
            if let text = dictionary[field] as? String, text.count > limit {
                throw APIError.validation(field: field, problem: "must be at most \(limit) characters")
            }
        }
        let unknown = Set(dictionary.keys).subtracting(T.fields).sorted()
        if !unknown.isEmpty {
            var details: [String: String] = [:]
            for key in unknown { details[key] = "is not a known field" }
            throw APIError(
                status: .badRequest, code: "VALIDATION_ERROR", message: "unknown field(s): \(unknown.joined(separator: ", "))",
                details: details)
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation reports a number it cannot represent in the target type (12.5 or 1e23 for an Int)
            // as corrupt data at the root; name the numeric fields that can be the cause instead.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                let suspects = nonIntegerNumbers(dictionary, path: "")
                if !suspects.isEmpty {
                    var details: [String: String] = [:]
                    for field in suspects { details[field] = "must be an integer from -9007199254740991 to 9007199254740991" }
                    throw APIError(
                        status: .badRequest, code: "VALIDATION_ERROR", message: "invalid number in \(suspects.joined(separator: ", "))",
                        details: details)
                }
            }
            throw validation(from: error)
        } catch let error as ValidationError {
            throw APIError.validation(error)
        }
    }

    /// Field paths holding numbers that are not integers within ±2^53 (the range JSON numbers keep exactly).
    private static func nonIntegerNumbers(_ value: Any, path: String) -> [String] {
        if let dictionary = value as? [String: Any] {
            return dictionary.keys.sorted().flatMap { nonIntegerNumbers(dictionary[$0]!, path: path.isEmpty ? $0 : "\(path).\($0)") }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { nonIntegerNumbers($1, path: "\(path)[\($0)]") }
        }
        if let number = value as? NSNumber, !(value is Bool) {
            let double = number.doubleValue
            if double.rounded() != double || abs(double) > 9_007_199_254_740_991 { return [path] }
        }
        return []
    }

    /// Refuses, anywhere in the body: keys starting with `$` (MongoDB operators) or containing `.` (nested-path
    /// injection) and prototype-pollution names (API.md "Error codes"); strings with a NUL character (PostgreSQL
    /// cannot store one, and C-based consumers would truncate at it) or longer than ``maximumStringLength``.
    private static func checkKeys(_ value: Any, path: String) throws {
        if let dictionary = value as? [String: Any] {
            for (key, child) in dictionary {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if key.hasPrefix("$") || key.contains(".") || key.utf8.contains(0) || forbiddenKeys.contains(key) {
                    throw APIError.validation(field: field, problem: "is not an allowed key")
                }
                try checkKeys(child, path: field)
            }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() { try checkKeys(child, path: "\(path)[\(index)]") }
        } else if let text = value as? String {
            if text.utf8.contains(0) { throw APIError.validation(field: path, problem: "must not contain NUL characters") }
            if text.count > maximumStringLength {
                throw APIError.validation(field: path, problem: "must be at most \(maximumStringLength) characters")
            }
        }
    }

    static func validation(from error: DecodingError) -> APIError {
        func field(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            var text = ""
            for component in path + (key.map { [$0] } ?? []) {
                if let index = component.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? component.stringValue : ".\(component.stringValue)"
                }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(field: field(context.codingPath, key), problem: "is required")
        case .valueNotFound(_, let context):
            return .validation(field: field(context.codingPath), problem: "must not be null")
        case .typeMismatch(let type, let context):
            return .validation(field: field(context.codingPath), problem: "must be \(describe(type))")
        case .dataCorrupted(let context):
            // Foundation's own texts name Swift types ("Cannot initialize Role from invalid String value x");
            // clients get the contract's words instead. Messages from the API's own types pass through.
            let foundationText =
                context.debugDescription.hasPrefix("Cannot initialize")
                || context.debugDescription.hasPrefix("The given data")
            let problem = context.debugDescription.isEmpty || foundationText ? "is not an accepted value" : context.debugDescription
            return .validation(field: field(context.codingPath), problem: problem)
        @unknown default:
            return .validation(field: "body", problem: "is invalid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid value"
        }
    }
}

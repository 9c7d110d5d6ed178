import Foundation

/// A JSON document that could not be read: what is wrong and where (1-based line and column, 0-based byte offset).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `expected ',' or ']'` or `nested deeper than 2048 levels`.
    public var message: String
    /// Byte offset of the problem in the UTF-8 text.
    public var offset: Int
    /// Line of the problem, from 1.
    public var line: Int
    /// Column of the problem in characters, from 1.
    public var column: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Reads RFC 8259 JSON text into a ``JSONValue``, keeping every number's exact text (``JSONNumber``).
///
/// Strict where the RFC is: no comments, no trailing commas, no control characters inside strings, UTF-8 only
/// (a leading byte-order mark is skipped, as RFC 8259 §8.1 allows). A member name given twice keeps its last value.
/// Unpaired UTF-16 surrogates in `\u` escapes become U+FFFD. The reader uses no recursion, so a hostile document
/// cannot exhaust the stack while it is read; documents nested deeper than ``maximumDepth`` are refused, because
/// every consumer of a ``JSONValue`` (comparison, JSONPath, serialization, reports) walks it recursively.
public enum JSONParser {
    /// Deepest nesting of arrays and objects accepted. Measured on a Swift concurrency thread of a debug build (the
    /// largest stack frames), every recursive walk of a value — comparison, hashing, JSONPath `..`, JSON Schema,
    /// diff, serialization, release — survived 8,192 levels and crashed at 12,288; a quarter of the crash point keeps
    /// a wide margin (checked by `JSONParserTests`' deep-document test at this limit).
    public static let maximumDepth = 2048

    /// Parses a complete document.
    /// - Throws: ``JSONParseError`` naming the line and column of the first problem.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var reader = Reader(bytes: bytes)
            return Result { () throws(JSONParseError) in try reader.document() }
        }
        return try result.get()
    }

    /// Parses a complete document given as text.
    /// - Throws: ``JSONParseError`` naming the line and column of the first problem.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Data(text.utf8))
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        }

        /// An array or object being read.
        enum Container {
            case array([JSONValue])
            case object([String: JSONValue], key: String)
        }

        mutating func document() throws(JSONParseError) -> JSONValue {
            var stack: [Container] = []
            var value: JSONValue
            while true {
                skipWhitespace()
                // Read one value, or open a container and go on reading its first element.
                guard index < bytes.count else {
                    throw failure(stack.isEmpty && index == startIndex ? "empty document" : "unexpected end of the document")
                }
                switch bytes[index] {
                case UInt8(ascii: "["):
                    try open(&stack)
                    index += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "]") {
                        index += 1
                        value = .array([])
                    } else {
                        stack.append(.array([]))
                        continue
                    }
                case UInt8(ascii: "{"):
                    try open(&stack)
                    index += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "}") {
                        index += 1
                        value = .object([:])
                    } else {
                        let key = try memberName()
                        stack.append(.object([:], key: key))
                        continue
                    }
                default:
                    value = try scalar()
                }
                // Hand the value to its container; close every container that ends here.
                while true {
                    guard let top = stack.popLast() else {
                        skipWhitespace()
                        guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
                        return value
                    }
                    skipWhitespace()
                    switch top {
                    case .array(var elements):
                        elements.append(value)
                        if peek == UInt8(ascii: ",") {
                            index += 1
                            stack.append(.array(elements))
                        } else if peek == UInt8(ascii: "]") {
                            index += 1
                            value = .array(elements)
                            continue
                        } else {
                            throw failure(index == bytes.count ? "unexpected end of the document" : "expected ',' or ']' after an array element")
                        }
                    case .object(var members, let key):
                        members[key] = value
                        if peek == UInt8(ascii: ",") {
                            index += 1
                            skipWhitespace()
                            let next = try memberName()
                            stack.append(.object(members, key: next))
                        } else if peek == UInt8(ascii: "}") {
                            index += 1
                            value = .object(members)
                            continue
                        } else {
                            throw failure(index == bytes.count ? "unexpected end of the document" : "expected ',' or '}' after an object member")
                        }
                    }
                    break
                }
            }
        }

        var startIndex: Int { bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0 }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        func open(_ stack: inout [Container]) throws(JSONParseError) {
            guard stack.count < JSONParser.maximumDepth else {
                throw failure("nested deeper than \(JSONParser.maximumDepth) levels")
            }
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        /// `"name"` followed by `:`.
        mutating func memberName() throws(JSONParseError) -> String {
            guard peek == UInt8(ascii: "\"") else { throw failure("expected a member name in double quotes") }
            let name = try string()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after the member name") }
            index += 1
            return name
        }

        mutating func scalar() throws(JSONParseError) -> JSONValue {
            switch bytes[index] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "]"), UInt8(ascii: "}"): throw failure("expected a value, found '\(Character(UnicodeScalar(bytes[index])))'")
            default: throw failure("expected a value (object, array, string, number, true, false or null)")
            }
        }

        mutating func literal(_ word: String) throws(JSONParseError) {
            let expected = word.utf8
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw failure("expected a value (object, array, string, number, true, false or null)")
            }
            index += expected.count
        }

        mutating func number() throws(JSONParseError) -> JSONNumber {
            let start = index
            func digits(_ reader: inout Reader) -> Int {
                let from = reader.index
                while reader.index < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.index]) { reader.index += 1 }
                return reader.index - from
            }
            if peek == UInt8(ascii: "-") { index += 1 }
            if peek == UInt8(ascii: "0") {
                index += 1
                if let next = peek, (0x30...0x39).contains(next) { throw failure("a number cannot have a leading zero") }
            } else if digits(&self) == 0 {
                throw failure("expected a digit")
            }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw failure("expected a digit after the decimal point") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                let exponentStart = index
                let count = digits(&self)
                guard count > 0 else { throw failure("expected a digit in the exponent") }
                let significant = bytes[exponentStart..<index].drop { $0 == 0x30 }.count
                guard significant <= 9 else { throw failure("exponent beyond ±\(JSONNumber.exponentLimit)") }
            }
            return JSONNumber(validated: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }

        mutating func string() throws(JSONParseError) -> String {
            index += 1  // opening quote
            let start = index
            // Fast path: no escapes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    guard let text = String(validating: slice, as: UTF8.self) else { throw invalidUTF8(in: start..<index) }
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("control character U+\(hex(UInt32(byte))) in a string must be escaped") }
                index += 1
            }
            var buffer = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: buffer, as: UTF8.self) else { throw invalidUTF8(in: start..<index) }
                    index += 1
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = peek else { throw failure("unterminated string") }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hexQuad()
                        if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        {
                            let saved = index
                            index += 2
                            let low = try hexQuad()
                            if (0xDC00...0xDFFF).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index = saved
                            }
                        }
                        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                        buffer.append(contentsOf: String(unicode).utf8)
                    default:
                        index -= 2
                        throw failure("invalid escape '\\\(Character(UnicodeScalar(escaped)))' in a string")
                    }
                default:
                    if byte < 0x20 { throw failure("control character U+\(hex(UInt32(byte))) in a string must be escaped") }
                    buffer.append(byte)
                    index += 1
                }
            }
            throw failure("unterminated string")
        }

        mutating func hexQuad() throws(JSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("expected four hex digits after \\u") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw failure("expected four hex digits after \\u")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        func hex(_ value: UInt32) -> String {
            let text = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - text.count)) + text
        }

        func invalidUTF8(in range: Range<Int>) -> JSONParseError {
            var at = range.lowerBound
            let slice = Array(bytes[range])
            // Find the first byte where decoding fails, for the position.
            var decoder = UTF8()
            var iterator = slice.makeIterator()
            var consumed = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): consumed += UTF8.width(scalar)
                case .emptyInput: break loop
                case .error: break loop
                }
            }
            at += consumed
            return failure("invalid UTF-8 in a string", at: at)
        }

        func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
            let offset = min(offset ?? index, bytes.count)
            var line = 1
            var lineStart = min(startIndex, offset)
            for position in lineStart..<offset where bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<offset]), as: UTF8.self).count + 1
            return JSONParseError(message: message, offset: offset, line: line, column: column)
        }
    }
}

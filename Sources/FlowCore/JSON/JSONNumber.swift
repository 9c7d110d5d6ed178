/// A JSON number kept exactly as written (RFC 8259 §6): the text travels unchanged from where it was read (a
/// response body, a flow file, a `--var name:=value`) to where it is written (a request body, a URL, a report), and
/// two numbers compare by their exact decimal value — integers of any length, decimals without rounding.
///
/// `1`, `1.0`, `1e0` and `10e-1` are the same value (equal, with one hash); `-0` equals `0`;
/// `12345678901234567890` and `12345678901234567891` differ (a `Double` would make them equal).
public struct JSONNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number's JSON text, exactly as it was read or created (e.g. `"1.50"`, `"-2e3"`).
    public let text: String

    /// The value as sign × `digits` × 10^`exponent`, with `digits` free of leading and trailing zeros (empty for
    /// zero, which is never negative): two equal values have the same normal form. Computed when asked, so that a
    /// parsed number costs only its text (a large response holds many).
    private struct NormalForm: Hashable {
        var negative: Bool
        var digits: [UInt8]
        var exponent: Int
    }

    private var normal: NormalForm {
        guard let parts = Self.parse(Array(text.utf8)) else { preconditionFailure("not a JSON number: \(text)") }
        return NormalForm(negative: parts.negative, digits: parts.digits, exponent: parts.exponent)
    }

    /// Largest exponent magnitude accepted (beyond it the value cannot be compared exactly with an `Int` exponent).
    static let exponentLimit = 1_000_000_000

    /// Reads JSON number text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    /// - Returns: `nil` when `text` is not a JSON number, or its exponent is beyond ±10^9.
    public init?(_ text: String) {
        guard Self.parse(Array(text.utf8)) != nil else { return nil }
        self.text = text
    }

    /// Text the JSON parser has already checked.
    init(validated text: String) {
        self.text = text
    }

    /// The number of an integer, e.g. a length or a status code.
    public init(_ value: Int) {
        self.init(unchecked: String(value))
    }

    /// The number of a finite `Double`, written in Swift's shortest round-tripping form (`0.1`, `1e-05`).
    /// Only for values that are doubles to begin with (Swift literals in tests, measured durations).
    /// - Precondition: `value` is finite (JSON has no infinities or NaN).
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no \(value)")
        if value == value.rounded(), abs(value) < 1e18 {
            self.init(unchecked: String(Int64(value)))
        } else {
            self.init(unchecked: "\(value)")
        }
    }

    /// Text known to be a valid JSON number.
    private init(unchecked text: String) {
        guard let number = JSONNumber(text) else { preconditionFailure("not a JSON number: \(text)") }
        self = number
    }

    public var description: String { text }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `42` in Swift source.
    public init(integerLiteral value: Int) { self.init(value) }
    /// `1.5` in Swift source (Swift's shortest round-tripping text of the double).
    public init(floatLiteral value: Double) { self.init(value) }
}

extension JSONNumber {

    /// Whether the value is a whole number (`3`, `3.0`, `3e2`, not `3.5`).
    public var isInteger: Bool { normal.exponent >= 0 }

    /// Whether the value is zero (`0`, `-0`, `0.000`).
    public var isZero: Bool { normal.digits.isEmpty }

    /// Whether the value is below zero.
    public var isNegative: Bool { normal.negative }

    /// The value as an `Int` when it is a whole number within `Int`'s range, otherwise `nil`.
    public var intValue: Int? {
        let (negative, digits, exponent) = (normal.negative, normal.digits, normal.exponent)
        guard exponent >= 0, digits.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        for _ in 0..<exponent {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = times
        }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    /// The nearest `Double` (may round: use only where a measurement, not a value from JSON, is compared).
    public var doubleValue: Double { Double(text) ?? .nan }

    public static func == (left: JSONNumber, right: JSONNumber) -> Bool {
        left.text == right.text || left.normal == right.normal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normal)
    }

    public static func < (left: JSONNumber, right: JSONNumber) -> Bool {
        let (left, right) = (left.normal, right.normal)
        if left.negative != right.negative { return left.negative }
        let magnitudeOrder = compareMagnitude(left, right)
        return left.negative ? magnitudeOrder > 0 : magnitudeOrder < 0
    }

    /// -1, 0 or 1 as |left| is below, equal to or above |right|.
    private static func compareMagnitude(_ left: NormalForm, _ right: NormalForm) -> Int {
        if left.digits.isEmpty || right.digits.isEmpty {
            return left.digits.isEmpty ? (right.digits.isEmpty ? 0 : -1) : 1
        }
        // The position of the leading digit decides first; then the digits, left-aligned.
        let leftOrder = left.digits.count + left.exponent
        let rightOrder = right.digits.count + right.exponent
        if leftOrder != rightOrder { return leftOrder < rightOrder ? -1 : 1 }
        for index in 0..<max(left.digits.count, right.digits.count) {
            let a = index < left.digits.count ? left.digits[index] : 0
            let b = index < right.digits.count ? right.digits[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    /// Whether `self` is a whole multiple of `divisor` (JSON Schema `multipleOf`), computed exactly.
    /// - Precondition: `divisor` is above zero.
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        let (value, divisor) = (normal, divisor.normal)
        precondition(!divisor.digits.isEmpty && !divisor.negative, "multipleOf needs a positive divisor")
        if value.digits.isEmpty { return true }
        // self / divisor = (d1 × 10^e1) / (d2 × 10^e2) with d1, d2 free of trailing zeros. When e1 < e2 the quotient
        // is whole only if d1 were a multiple of 10, which it is not. When e1 ≥ e2, d1 × 10^(e1-e2) must be a multiple
        // of d2; d2 holds at most 4 factors of 2 or 5 per digit, so a larger power of ten adds nothing.
        let shift = value.exponent - divisor.exponent
        guard shift >= 0 else { return false }
        let zeros = min(shift, 4 * divisor.digits.count + 4)
        return Self.remainder(value.digits + [UInt8](repeating: 0, count: zeros), divisor.digits).isEmpty
    }

    /// The remainder of two non-negative decimal digit strings (most significant first), without leading zeros
    /// (empty for zero): schoolbook long division, one digit of the dividend at a time.
    private static func remainder(_ dividend: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var rest: [UInt8] = []
        for digit in dividend {
            if !(rest.isEmpty && digit == 0) { rest.append(digit) }
            while compareDigits(rest, divisor) >= 0 { rest = subtract(rest, divisor) }
        }
        return rest
    }

    private static func compareDigits(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    /// `a - b` for `a ≥ b`, without leading zeros.
    private static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = a
        var borrow: Int = 0
        for offset in 0..<a.count {
            let index = a.count - 1 - offset
            var value = Int(a[index]) - borrow - (offset < b.count ? Int(b[b.count - 1 - offset]) : 0)
            borrow = value < 0 ? 1 : 0
            if value < 0 { value += 10 }
            result[index] = UInt8(value)
        }
        return Array(result.drop { $0 == 0 })
    }

    /// Parses JSON number bytes into the normal form, or `nil` when they are not a JSON number.
    static func parse(_ bytes: [UInt8]) -> (negative: Bool, digits: [UInt8], exponent: Int)? {
        var index = 0
        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        var negative = false
        if peek() == 0x2D {
            negative = true
            index += 1
        }
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        guard isDigit(peek()) else { return nil }
        if peek() == 0x30 {
            index += 1
            guard !isDigit(peek()) else { return nil }
            mantissa.append(0)
        } else {
            while isDigit(peek()) {
                mantissa.append(bytes[index] - 0x30)
                index += 1
            }
        }
        if peek() == 0x2E {
            index += 1
            guard isDigit(peek()) else { return nil }
            while isDigit(peek()) {
                mantissa.append(bytes[index] - 0x30)
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        if peek() == 0x65 || peek() == 0x45 {
            index += 1
            var exponentNegative = false
            if peek() == 0x2B || peek() == 0x2D {
                exponentNegative = peek() == 0x2D
                index += 1
            }
            guard isDigit(peek()) else { return nil }
            while isDigit(peek()) {
                exponent = exponent * 10 + Int(bytes[index] - 0x30)
                guard exponent <= exponentLimit else { return nil }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return nil }
        exponent -= fractionDigits
        let leading = mantissa.prefix { $0 == 0 }.count
        var digits = Array(mantissa.dropFirst(leading))
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, exponent)
    }
}

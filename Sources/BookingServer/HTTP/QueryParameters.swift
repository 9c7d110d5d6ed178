import BookingCore
import Foundation
import Hummingbird

/// Typed access to query parameters and path ids, each failing with `400 VALIDATION_ERROR` naming the
/// parameter (API.md "Conventions").
public struct QueryParameters: Sendable {
    private let values: [String: String]

    public init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    /// The raw value, `nil` when absent or empty.
    /// - Throws: 400 VALIDATION_ERROR when longer than `maxLength` characters or holding a NUL (`%00`), which
    ///   PostgreSQL cannot store and C-based consumers truncate at.
    public func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        guard value.count <= maxLength else { throw APIError.validation(field: name, problem: "is too long") }
        guard !value.utf8.contains(0) else { throw APIError.validation(field: name, problem: "must not contain NUL characters") }
        return value
    }

    /// A UUID parameter.
    public func uuid(_ name: String) throws -> UUID? {
        guard let raw = try string(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw APIError.validation(field: name, problem: "must be a UUID") }
        return id
    }

    /// A `YYYY-MM-DD` date parameter.
    public func date(_ name: String) throws -> LocalDate? {
        guard let raw = try string(name) else { return nil }
        do { return try LocalDate(parsing: raw, field: name) } catch let error as ValidationError {
            throw APIError.validation(error)
        }
    }

    /// An instant parameter: RFC 3339 date-time, or a `YYYY-MM-DD` date taken as midnight UTC
    /// (`endOfDay` adds one day, for inclusive `to` bounds).
    public func instant(_ name: String, endOfDay: Bool = false) throws -> Date? {
        guard let raw = try string(name) else { return nil }
        if let date = JSONCoding.parseInstant(raw) { return date }
        if let day = try? LocalDate(parsing: raw) { return (endOfDay ? day.adding(days: 1) : day).startInUTC }
        throw APIError.validation(field: name, problem: "must be an RFC 3339 date-time or YYYY-MM-DD")
    }

    /// An enum parameter from its raw value.
    public func value<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = try string(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.validation(
                field: name, problem: "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// `page` (≥ 1, default 1) and `pageSize` (1–100, default 20).
    public func page() throws -> (page: Int, pageSize: Int) {
        func number(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw = try string(name, maxLength: 12) else { return fallback }
            guard let value = Int(raw), range.contains(value) else {
                throw APIError.validation(field: name, problem: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        return (try number("page", default: 1, range: 1...100_000), try number("pageSize", default: 20, range: 1...100))
    }
}

extension AppRequestContext {
    /// The path parameter `name` as a UUID; 400 VALIDATION_ERROR when malformed (never a lookup).
    public func uuidParameter(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.validation(field: name, problem: "must be a UUID")
        }
        return id
    }
}

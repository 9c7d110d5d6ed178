import Foundation
import SQLKit

/// Column conventions of the schema (see ``Migration/initialSchema``): ids as lower-case UUID text,
/// instants as BIGINT milliseconds since the Unix epoch, lists and objects as JSON text.
enum Column {
    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }
    static func instant(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
    }
}

extension SQLRow {
    func text(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalText(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func integer(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func double(_ column: String) throws -> Double { try decode(column: column, as: Double.self) }

    func uuid(_ column: String) throws -> UUID {
        let raw = try text(column)
        guard let id = UUID(uuidString: raw) else { throw DatabaseError.failed("column \(column) holds a malformed id") }
        return id
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        guard let raw = try optionalText(column) else { return nil }
        return UUID(uuidString: raw)
    }

    func instant(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: Double(try decode(column: column, as: Int64.self)) / 1000)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try JSONCoding.decoder().decode(T.self, from: Data(try text(column).utf8))
    }
}

extension Identity {
    /// SQL condition selecting the rows the caller may see in a table with `tenant_id`, `patient_id` and
    /// `doctor_id` columns (the row-level form of ``canSee(patientID:doctorID:)``).
    var visibleRowsCondition: SQLQueryString {
        var condition = SQLQueryString("tenant_id = \(bind: tenantID.rawValue)")
        switch role {
        case .patient: condition += " AND patient_id = \(bind: Column.id(userID))"
        case .doctor: condition += " AND doctor_id = \(bind: Column.id(userID))"
        case .admin: break
        }
        return condition
    }
}

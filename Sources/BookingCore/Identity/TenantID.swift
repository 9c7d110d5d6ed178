/// Identifier of a tenant (an organisation running clinics). Every stored row belongs to exactly one.
///
/// Tenant ids are short slugs: 1–64 characters of `a-z`, `0-9` and `-`, starting with a letter or digit
/// (API.md "Conventions": the `X-Tenant-Id` header, default `default`).
public struct TenantID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The tenant used when a request names none.
    public static let `default` = TenantID(uncheckedRawValue: "default")

    /// Validates a tenant slug; `nil` when it is not one.
    public init?(rawValue: String) {
        guard (1...64).contains(rawValue.count),
            rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }),
            rawValue.first != "-"
        else { return nil }
        self.rawValue = rawValue
    }

    private init(uncheckedRawValue: String) { self.rawValue = uncheckedRawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = TenantID(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a tenant id"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

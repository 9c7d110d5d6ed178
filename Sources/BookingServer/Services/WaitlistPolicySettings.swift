import BookingCore
import Foundation
import SQLKit

/// Reading and storing waitlist policies (API.md "Waitlists", `GET|PUT /api/waitlists/policy?clinicId=`).
/// A clinic's own policy wins over the tenant-wide one (stored with `clinic_id = ''`), which wins over
/// ``WaitlistPolicy/standard``.
extension WaitlistService {
    /// The policy in force for a clinic (or tenant-wide) and where it comes from.
    public struct EffectivePolicy: Encodable, Sendable, Equatable {
        /// Where the policy is stored.
        public enum Source: String, Encodable, Sendable {
            /// The clinic's own policy.
            case clinic
            /// The tenant-wide policy.
            case tenant
            /// None is stored: ``WaitlistPolicy/standard``.
            case `default`
        }

        /// The clinic asked about; `nil` for the tenant-wide policy.
        public var clinicID: UUID?
        public var source: Source
        public var policy: WaitlistPolicy

        enum CodingKeys: String, CodingKey { case clinicID = "clinicId", source, maxQueueSize, autoExpiryHours, priorityWeights }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(clinicID, forKey: .clinicID)
            try container.encode(source, forKey: .source)
            try container.encode(policy.maxQueueSize, forKey: .maxQueueSize)
            try container.encode(policy.autoExpiryHours, forKey: .autoExpiryHours)
            try container.encode(policy.priorityWeights, forKey: .priorityWeights)
        }
    }

    /// `GET /api/waitlists/policy?clinicId=`: the clinic's policy, else the tenant-wide one, else the standard one.
    /// - Parameter clinicID: the clinic, or `nil` for the tenant-wide policy.
    /// - Throws: 404 when `clinicID` names no clinic of the caller's tenant.
    public func effectivePolicy(_ identity: Identity, clinicID: UUID?) async throws -> EffectivePolicy {
        try await database.withConnection { sql in
            if let clinicID { _ = try await ClinicService.get(sql, tenant: identity.tenantID, id: clinicID) }
            for (key, source) in Self.policyKeys(clinicID) {
                if let policy = try await Self.storedPolicy(sql, tenant: identity.tenantID, key: key) {
                    return EffectivePolicy(clinicID: clinicID, source: source, policy: policy)
                }
            }
            return EffectivePolicy(clinicID: clinicID, source: .default, policy: .standard)
        }
    }

    /// `PUT /api/waitlists/policy?clinicId=` (admins): validates and stores (replaces) the clinic's policy, or the
    /// tenant-wide one when `clinicID` is `nil`. New joins and expiry use it at once.
    /// - Throws: 403 for non-admins; 400 naming the field (``WaitlistPolicy/validate()``); 404 for an unknown clinic.
    public func setPolicy(_ identity: Identity, clinicID: UUID?, _ policy: WaitlistPolicy) async throws -> EffectivePolicy {
        guard identity.role == .admin else { throw BookingError.forbidden() }
        try policy.validate()
        return try await database.transaction { sql in
            if let clinicID { _ = try await ClinicService.get(sql, tenant: identity.tenantID, id: clinicID) }
            let key = clinicID.map(Column.id) ?? ""
            try await WaitlistStore(sql).replacePolicy(policy, tenant: identity.tenantID, key: key)
            return EffectivePolicy(clinicID: clinicID, source: clinicID == nil ? .tenant : .clinic, policy: policy)
        }
    }

    /// The storage keys to look up, most specific first, with the source each stands for.
    private static func policyKeys(_ clinicID: UUID?) -> [(String, EffectivePolicy.Source)] {
        (clinicID.map { [(Column.id($0), EffectivePolicy.Source.clinic)] } ?? []) + [("", .tenant)]
    }

    private static func storedPolicy(_ sql: any SQLDatabase, tenant: TenantID, key: String) async throws -> WaitlistPolicy? {
        try await WaitlistStore(sql).policy(tenant: tenant, key: key)
    }
}

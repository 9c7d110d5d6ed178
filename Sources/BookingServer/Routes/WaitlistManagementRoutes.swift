import BookingCore
import Foundation
import Hummingbird

/// Doctor and admin management of waitlists: `PATCH /api/waitlists/:id/status`, `PATCH /api/waitlists/:id/priority`,
/// `POST /api/waitlists/bulk/status` and `GET|PUT /api/waitlists/policy` (API.md "Waitlists").
///
/// `bulk/status` and `policy` are constant path segments, which the router prefers over `:id`; the
/// per-entry routes are `PATCH` and the bulk route is `POST`, so neither can capture the other.
struct WaitlistManagementRoutes {
    let waitlists: WaitlistService

    struct StatusBody: StrictBody {
        static let fields: Set<String> = ["status", "notes"]
        var status: WaitlistStatus
        var notes: String?
    }

    struct PriorityBody: StrictBody {
        static let fields: Set<String> = ["priorityScore", "notes"]
        var priorityScore: Double
        var notes: String?
    }

    struct BulkStatusBody: StrictBody {
        static let fields: Set<String> = ["entryIds", "status", "notes"]
        var entryIds: [UUID]
        var status: WaitlistStatus
        var notes: String?
    }

    struct PolicyBody: StrictBody {
        static let fields: Set<String> = ["maxQueueSize", "autoExpiryHours", "priorityWeights"]
        var maxQueueSize: Int
        var autoExpiryHours: Int
        var priorityWeights: WaitlistPolicy.PriorityWeights

        enum CodingKeys: String, CodingKey { case maxQueueSize, autoExpiryHours, priorityWeights }

        /// Decodes the counts as JSON numbers that must be whole, so that `1.5` is reported against its field
        /// (Foundation's decoder reports a fractional number for an `Int` without the field's path).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func whole(_ key: CodingKeys) throws -> Int {
                let value = try container.decode(Double.self, forKey: key)
                guard value.rounded() == value, abs(value) < 1e9 else {
                    throw ValidationError(field: key.rawValue, problem: "must be an integer")
                }
                return Int(value)
            }
            maxQueueSize = try whole(.maxQueueSize)
            autoExpiryHours = try whole(.autoExpiryHours)
            priorityWeights = try container.decode(WaitlistPolicy.PriorityWeights.self, forKey: .priorityWeights)
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.patch("api/waitlists/:id/status") { request, context in
            let identity = try context.require(.doctor, .admin)
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(StatusBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await waitlists.changeStatus(identity, entryID: id, to: body.status, notes: body.notes))
        }
        router.patch("api/waitlists/:id/priority") { request, context in
            let identity = try context.require(.doctor, .admin)
            let id = try context.uuidParameter()
            let body = try await JSONBodyReader.decode(PriorityBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await waitlists.changePriority(identity, entryID: id, to: body.priorityScore, notes: body.notes))
        }
        router.post("api/waitlists/bulk/status") { request, context in
            let identity = try context.require(.doctor, .admin)
            let body = try await JSONBodyReader.decode(BulkStatusBody.self, from: request, context: context)
            return try ResponseBuilder.success(
                try await waitlists.bulkChangeStatus(identity, entryIDs: body.entryIds, to: body.status, notes: body.notes))
        }
        router.get("api/waitlists/policy") { request, context in
            let identity = try context.requireIdentity()
            let clinicID = try QueryParameters(request).uuid("clinicId")
            return try ResponseBuilder.success(try await waitlists.effectivePolicy(identity, clinicID: clinicID))
        }
        router.put("api/waitlists/policy") { request, context in
            let identity = try context.require(.admin)
            let clinicID = try QueryParameters(request).uuid("clinicId")
            let body = try await JSONBodyReader.decode(PolicyBody.self, from: request, context: context)
            let policy = WaitlistPolicy(
                maxQueueSize: body.maxQueueSize, autoExpiryHours: body.autoExpiryHours, priorityWeights: body.priorityWeights)
            return try ResponseBuilder.success(try await waitlists.setPolicy(identity, clinicID: clinicID, policy))
        }
    }
}

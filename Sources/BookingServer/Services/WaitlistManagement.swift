import BookingCore
import Foundation
import SQLKit

/// Doctor and admin management of waitlist entries: status changes, re-prioritisation and bulk status
/// changes (API.md "Waitlists"). Every change appends a line to the entry's audit trail.
extension WaitlistService {
    /// Largest number of entries one bulk status change may name.
    public static let bulkLimit = 100

    /// `PATCH /api/waitlists/:id/status`: moves an open entry to `invited`, `cancelled` or `expired`
    /// (`invited` only from `active`) and appends `{action: <status>, actorId, at, notes}` to its audit trail.
    /// - Parameters:
    ///   - next: the new status; must be one of ``WaitlistStatus/manualTargets``.
    ///   - notes: optional free text, 1–2000 characters after trimming.
    /// - Throws: 403 for patients; 400 naming `status` or `notes`; 404 when the entry is not visible to the caller
    ///   (another doctor's, another tenant's, or missing); 409 INVALID_TRANSITION for a move the lifecycle forbids.
    public func changeStatus(
        _ identity: Identity, entryID: UUID, to next: WaitlistStatus, notes: String?, now: Date = Date()
    ) async throws -> WaitlistEntry {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        try Self.checkManualTarget(next)
        let notes = try Self.checkNotes(notes)
        return try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            let entry = try await Self.visible(sql, identity, id: entryID)
            guard entry.status.allowsManualChange(to: next) else {
                throw BookingError.invalidTransition(from: entry.status.rawValue, to: next.rawValue)
            }
            let changed = Self.moved(entry, to: next, actor: identity.userID, notes: notes, now: now)
            try await Self.save(sql, changed)
            return changed
        }
    }

    /// `PATCH /api/waitlists/:id/priority`: sets an open entry's priority score and appends a
    /// `priority-changed` line to its audit trail.
    /// - Parameters:
    ///   - score: the new score, 0…100.
    ///   - notes: optional free text, 1–2000 characters after trimming.
    /// - Throws: 403 for patients; 400 naming `priorityScore` or `notes`; 404 when not visible;
    ///   409 CONFLICT when the entry is no longer open (promoted, cancelled or expired).
    public func changePriority(
        _ identity: Identity, entryID: UUID, to score: Double, notes: String?, now: Date = Date()
    ) async throws -> WaitlistEntry {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        guard score.isFinite, (0...100).contains(score) else {
            throw ValidationError(field: "priorityScore", problem: "must be a number from 0 to 100")
        }
        let notes = try Self.checkNotes(notes)
        return try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            var entry = try await Self.visible(sql, identity, id: entryID)
            guard entry.status.isOpen else {
                throw BookingError.conflict("only active or invited entries can be re-prioritised; this one is \(entry.status.rawValue)")
            }
            entry.priorityScore = score
            entry.audit.append(.init(action: "priority-changed", actorID: identity.userID, at: now, notes: notes))
            entry.updatedAt = now
            try await Self.save(sql, entry)
            return entry
        }
    }

    /// `POST /api/waitlists/bulk/status`: the status change of ``changeStatus(_:entryID:to:notes:now:)`` applied
    /// to every named entry in one transaction — all of them change or none does.
    /// - Parameters:
    ///   - entryIDs: 1…``bulkLimit`` distinct entry ids.
    /// - Returns: the updated entries, in the order named.
    /// - Throws: 403 for patients; 400 naming `entryIds`, `status` or `notes`; 404 naming the first entry that is
    ///   not visible (nothing changed); 409 INVALID_TRANSITION naming the first entry whose move is illegal
    ///   (nothing changed).
    public func bulkChangeStatus(
        _ identity: Identity, entryIDs: [UUID], to next: WaitlistStatus, notes: String?, now: Date = Date()
    ) async throws -> [WaitlistEntry] {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        guard (1...Self.bulkLimit).contains(entryIDs.count) else {
            throw ValidationError(field: "entryIds", problem: "must name 1 to \(Self.bulkLimit) entries")
        }
        guard Set(entryIDs).count == entryIDs.count else {
            throw ValidationError(field: "entryIds", problem: "must not contain duplicates")
        }
        try Self.checkManualTarget(next)
        let notes = try Self.checkNotes(notes)
        return try await database.transaction { sql in
            try await Self.expireStale(sql, tenant: identity.tenantID, now: now)
            var entries: [WaitlistEntry] = []
            for id in entryIDs {
                do {
                    entries.append(try await Self.visible(sql, identity, id: id))
                } catch BookingError.notFound {
                    throw BookingError.notFound(
                        resource: "waitlist entry", message: "waitlist entry not found; nothing was changed", details: ["entryId": Column.id(id)])
                }
            }
            if let illegal = entries.first(where: { !$0.status.allowsManualChange(to: next) }) {
                throw BookingError.invalidTransition(
                    from: illegal.status.rawValue, to: next.rawValue,
                    message: "cannot move entry \(Column.id(illegal.id)) from \(illegal.status.rawValue) to \(next.rawValue); nothing was changed",
                    details: ["entryId": Column.id(illegal.id)])
            }
            var changed: [WaitlistEntry] = []
            for entry in entries {
                let moved = Self.moved(entry, to: next, actor: identity.userID, notes: notes, now: now)
                try await Self.save(sql, moved)
                changed.append(moved)
            }
            return changed
        }
    }

    /// `entry` in status `next` with the audit line of the move.
    private static func moved(_ entry: WaitlistEntry, to next: WaitlistStatus, actor: UUID, notes: String?, now: Date) -> WaitlistEntry {
        var entry = entry
        entry.status = next
        entry.audit.append(.init(action: next.rawValue, actorID: actor, at: now, notes: notes))
        entry.updatedAt = now
        return entry
    }

    private static func checkManualTarget(_ next: WaitlistStatus) throws {
        guard WaitlistStatus.manualTargets.contains(next) else {
            throw ValidationError(
                field: "status", problem: "must be one of " + WaitlistStatus.manualTargets.map(\.rawValue).joined(separator: ", "))
        }
    }

    private static func checkNotes(_ notes: String?) throws -> String? {
        try notes.map { try ContactRules.name($0, field: "notes", maxLength: 2000) }
    }
}

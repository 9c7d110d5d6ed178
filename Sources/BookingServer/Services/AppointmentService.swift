import BookingCore
import Foundation
import SQLKit

/// Booking, listing and the appointment lifecycle (API.md "Appointments").
public struct AppointmentService: Sendable {
    let database: BookingDatabase
    let payments: PaymentService

    /// An appointment as the API returns it: the appointment plus its payment order, if any.
    public struct View: Encodable, Sendable {
        public var appointment: Appointment
        public var payment: PaymentOrderView?

        public func encode(to encoder: any Encoder) throws {
            try appointment.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(payment, forKey: .payment)
        }

        enum CodingKeys: String, CodingKey { case payment }
    }

    /// A booking request.
    public struct Booking: Sendable {
        public var doctorID: UUID
        public var clinicID: UUID
        public var scheduledAt: Date
        public var mode: ConsultationMode
        public var reasonForVisit: String?

        public init(doctorID: UUID, clinicID: UUID, scheduledAt: Date, mode: ConsultationMode, reasonForVisit: String?) {
            self.doctorID = doctorID
            self.clinicID = clinicID
            self.scheduledAt = scheduledAt
            self.mode = mode
            self.reasonForVisit = reasonForVisit
        }
    }

    /// Books `booking` for `patientID` inside `sql`: the start must be a free, future slot of an active doctor
    /// at one of their active clinics. A paid consultation starts `pending-payment` with a payment order.
    /// - Throws: 404 for an unknown doctor or clinic, 400 for a mode the doctor does not offer,
    ///   409 SLOT_UNAVAILABLE when the slot does not exist or is taken (the unique index decides races).
    func book(_ sql: any SQLDatabase, tenant: TenantID, patientID: UUID, _ booking: Booking, now: Date = Date()) async throws -> View {
        let reason = try booking.reasonForVisit.map { try ContactRules.name($0, field: "reasonForVisit", maxLength: 1000) }
        guard let doctor = try await DoctorService.get(sql, tenant: tenant, id: booking.doctorID, visibleTo: .patient) else {
            throw BookingError.notFound(resource: "doctor")
        }
        guard doctor.consultationModes.contains(booking.mode) else {
            throw ValidationError(field: "mode", problem: "is not offered by this doctor")
        }
        guard
            let (schedule, clinic) = try await DoctorStore(sql).schedules(of: doctor.id)
                .first(where: { $0.1.id == booking.clinicID })
        else {
            _ = try await ClinicService.get(sql, tenant: tenant, id: booking.clinicID)
            throw BookingError.slotUnavailable
        }
        guard clinic.status == .active, let zone = TimeZone(identifier: clinic.timeZone) else { throw BookingError.slotUnavailable }
        let day = LocalDate(containing: booking.scheduledAt, in: zone)
        let generator = SlotGenerator(zone: zone)
        guard booking.scheduledAt >= now,
            let slot = generator.slots(for: schedule, from: day.adding(days: -1), to: day)
                .first(where: { $0.start == booking.scheduledAt })
        else { throw BookingError.slotUnavailable }
        let appointments = AppointmentStore(sql)
        if try await appointments.overlaps(doctorID: doctor.id, start: slot.start, end: slot.end) { throw BookingError.slotUnavailable }

        let appointment = Appointment(
            id: UUID(), tenantID: tenant, patientID: patientID, doctorID: doctor.id, clinicID: clinic.id,
            scheduledAt: slot.start, endsAt: slot.end, mode: booking.mode, status: Appointment.initialStatus(fee: doctor.fee),
            reasonForVisit: reason, fee: doctor.fee, notes: nil, createdAt: now, updatedAt: now)
        do {
            try await appointments.insert(appointment)
        } catch DatabaseError.uniqueViolation {
            throw BookingError.slotUnavailable
        }
        // The payment order is opened at the gateway after the booking commits (``withPaymentOrder(_:)``).
        return View(appointment: appointment, payment: nil)
    }

    /// Books, then opens the payment order of a paid booking at the gateway (see ``withPaymentOrder(_:)``).
    public func book(tenant: TenantID, patientID: UUID, _ booking: Booking) async throws -> View {
        let booked = try await database.transaction { sql in try await book(sql, tenant: tenant, patientID: patientID, booking) }
        return await withPaymentOrder(booked)
    }

    /// `view` with its payment order when the appointment awaits payment: opened at the gateway now, outside the
    /// booking's transaction. When the gateway fails the booking stands (its slot is held, status `pending-payment`)
    /// with `payment: null`, and the patient's `POST /api/payments` opens the order once the gateway answers.
    func withPaymentOrder(_ view: View) async -> View {
        guard view.appointment.status == .pendingPayment, view.payment == nil else { return view }
        var view = view
        view.payment = try? await payments.openOrder(for: view.appointment, now: view.appointment.updatedAt)
        return view
    }

    /// `view` after the refund of its cancelled appointment's captured payment was made at the gateway (when it can be
    /// now; otherwise the order stays `refund-pending` for ``RefundReconciler``).
    func withRefundSettled(_ view: View) async -> View {
        guard view.appointment.status == .cancelled, let order = view.payment, order.status == .refundPending else { return view }
        var view = view
        if let settled = try? await payments.settleRefund(orderID: order.orderId) { view.payment = settled }
        return view
    }

    /// List filters and sort of `GET /api/appointments`.
    public struct Filter: Sendable {
        public var status: AppointmentStatus?
        public var doctorID: UUID?
        public var patientID: UUID?
        public var clinicID: UUID?
        public var from: Date?
        public var to: Date?
        /// `scheduledAt`, `-scheduledAt`, `createdAt` or `-createdAt`.
        public var sort: String

        public init(
            status: AppointmentStatus? = nil, doctorID: UUID? = nil, patientID: UUID? = nil, clinicID: UUID? = nil,
            from: Date? = nil, to: Date? = nil, sort: String = "scheduledAt"
        ) {
            self.status = status
            self.doctorID = doctorID
            self.patientID = patientID
            self.clinicID = clinicID
            self.from = from
            self.to = to
            self.sort = sort
        }

        /// The accepted sort keys.
        public static let sorts: [String: String] = [
            "scheduledAt": "scheduled_at ASC", "-scheduledAt": "scheduled_at DESC",
            "createdAt": "created_at ASC", "-createdAt": "created_at DESC",
        ]
    }

    /// One page of appointments visible to the caller: patients their own, doctors theirs, admins all in the tenant.
    public func list(_ identity: Identity, filter: Filter, page: Int, pageSize: Int) async throws -> ([Appointment], Int) {
        guard let order = Filter.sorts[filter.sort] else {
            throw ValidationError(field: "sort", problem: "must be one of scheduledAt, -scheduledAt, createdAt, -createdAt")
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw ValidationError(field: "to", problem: "must not be before from")
        }
        return try await database.withConnection { sql in
            try await AppointmentStore(sql).page(visibleTo: identity, filter, order: order, page: page, pageSize: pageSize)
        }
    }

    /// An appointment with its payment history, for its patient, its doctor or an admin; others get 404.
    public func get(_ identity: Identity, id: UUID) async throws -> View {
        try await database.withConnection { sql in
            let appointment = try await Self.visible(sql, identity, id: id)
            return View(appointment: appointment, payment: try await payments.latestOrder(sql, appointmentID: id))
        }
    }

    /// Changes the status through the lifecycle (API.md `PATCH /api/appointments/:id/status`).
    /// - Throws: 403 for patients, 404 when not visible, 409 INVALID_TRANSITION for a move the lifecycle forbids.
    public func changeStatus(_ identity: Identity, id: UUID, to next: AppointmentStatus, notes: String?, now: Date = Date()) async throws -> View {
        guard identity.role != .patient else { throw BookingError.forbidden() }
        let notes = try notes.map { try ContactRules.name($0, field: "notes", maxLength: 2000) }
        let changed = try await database.transaction { sql in
            var appointment = try await Self.visible(sql, identity, id: id)
            guard appointment.status.allows(next, by: identity.role) else {
                throw BookingError.invalidTransition(from: appointment.status.rawValue, to: next.rawValue)
            }
            if next == .cancelled {
                appointment = try await cancel(sql, appointment, actor: identity.userID, notes: notes, now: now)
            } else {
                appointment.status = next
                appointment.notes = notes ?? appointment.notes
                appointment.updatedAt = now
                try await AppointmentStore(sql).saveStatus(appointment)
            }
            return View(appointment: appointment, payment: try await payments.latestOrder(sql, appointmentID: id))
        }
        return await withRefundSettled(changed)
    }

    /// Cancels (API.md `DELETE /api/appointments/:id`): patients their own, doctors theirs, admins any.
    /// - Throws: 404 when not visible; 409 INVALID_TRANSITION when already final.
    public func cancel(_ identity: Identity, id: UUID, now: Date = Date()) async throws -> View {
        let cancelled = try await database.transaction { sql in
            let appointment = try await Self.visible(sql, identity, id: id)
            guard appointment.status.canTransition(to: .cancelled) else {
                throw BookingError.invalidTransition(from: appointment.status.rawValue, to: AppointmentStatus.cancelled.rawValue)
            }
            let cancelled = try await cancel(sql, appointment, actor: identity.userID, notes: nil, now: now)
            return View(appointment: cancelled, payment: try await payments.latestOrder(sql, appointmentID: id))
        }
        return await withRefundSettled(cancelled)
    }

    /// Cancels inside `sql`: frees the slot, marks a captured payment for refund and invites the top open
    /// waitlist entry whose window covers the slot.
    private func cancel(_ sql: any SQLDatabase, _ appointment: Appointment, actor: UUID, notes: String?, now: Date) async throws -> Appointment {
        var appointment = appointment
        appointment.status = .cancelled
        appointment.notes = notes ?? appointment.notes
        appointment.updatedAt = now
        try await AppointmentStore(sql).saveStatus(appointment)
        try await payments.markRefundDue(sql, appointmentID: appointment.id, now: now)
        try await WaitlistService.inviteTopEntry(sql, freed: appointment, actor: actor, now: now)
        return appointment
    }

    /// The appointment if `identity` may see it, else 404.
    static func visible(_ sql: any SQLDatabase, _ identity: Identity, id: UUID) async throws -> Appointment {
        guard let appointment = try await AppointmentStore(sql).find(id, tenant: identity.tenantID),
            identity.canSee(patientID: appointment.patientID, doctorID: appointment.doctorID)
        else { throw BookingError.notFound(resource: "appointment") }
        return appointment
    }

}

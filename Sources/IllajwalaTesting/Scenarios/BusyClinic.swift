import BookingCore
import BookingServer
import Foundation

/// The busy clinic of ``DatabaseScenario/busyClinic``: on top of `Fixtures/`, the Bengaluru clinic
/// ``clinicSlug`` gets ``patientCount`` extra patients who each book one appointment with the free doctor
/// and one with the paid doctor (``appointmentCount`` in all, over the next days, the first
/// ``cancelledCount`` of the free doctor's cancelled) and stand on the paid doctor's waitlist
/// (``waitlistLength`` active entries, every third patient with a medical history, so priorities differ).
public enum BusyClinic {
    /// Slug of the busy clinic in `Fixtures/clinics.json`.
    public static let clinicSlug = "bengaluru-indiranagar"
    /// The free doctor (general physician) and the paid doctor (dermatologist) at the clinic.
    public static let freeDoctorEmail = FixtureCredentials.freeDoctorEmail
    public static let paidDoctorEmail = FixtureCredentials.paidDoctorEmail
    public static let patientCount = 40
    public static let appointmentCount = 2 * patientCount
    public static let cancelledCount = 10
    public static let waitlistLength = patientCount
    /// Password of the scenario's patients (development only).
    public static let patientPassword = EntityBuilders.password

    static func seed(_ services: BookingServices) async throws {
        let builders = EntityBuilders(services: services, tenant: .default)
        let (clinics, _) = try await services.clinics.list(tenant: .default, status: nil, city: nil, page: 1, pageSize: 100)
        guard let clinic = clinics.first(where: { $0.slug == clinicSlug }) else {
            throw FixtureError(file: "clinics.json", field: "slug", problem: "the busy-clinic scenario needs the clinic \(clinicSlug)")
        }
        let (doctors, _) = try await services.doctors.list(
            tenant: .default, role: .admin, search: .init(), page: 1, pageSize: 100)
        func doctor(_ email: String) throws -> BuiltDoctor {
            guard let doctor = doctors.first(where: { $0.email == email }) else {
                throw FixtureError(file: "doctors.json", field: "email", problem: "the busy-clinic scenario needs the doctor \(email)")
            }
            return BuiltDoctor(doctor: doctor, clinic: clinic, password: FixtureCredentials.doctorPassword)
        }
        let free = try doctor(freeDoctorEmail)
        let paid = try doctor(paidDoctorEmail)
        let freeSlots = try await builders.freeSlots(of: free)
        let paidSlots = try await builders.freeSlots(of: paid)
        guard freeSlots.count > patientCount, paidSlots.count > patientCount else {
            throw FixtureError(file: "doctors.json", field: "schedules", problem: "too few slots in two weeks for the busy-clinic scenario")
        }
        for index in 0..<patientCount {
            let patient = try await builders.patient(
                name: "Busy Patient \(index + 1)", medicalHistory: index % 3 == 0 ? ["Hypertension"] : [])
            let booked = try await builders.appointment(patient: patient, doctor: free, at: freeSlots[index].start, reason: "Follow-up")
            if index < cancelledCount {
                _ = try await services.appointments.cancel(patient.identity, id: booked.appointment.id)
            }
            _ = try await builders.appointment(patient: patient, doctor: paid, at: paidSlots[index].start, mode: .inPerson)
            _ = try await builders.waitlistEntry(patient: patient, doctor: paid, reason: "Earlier slot wanted")
        }
    }
}

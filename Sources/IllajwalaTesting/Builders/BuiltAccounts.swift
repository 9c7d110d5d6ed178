import BookingCore
import BookingServer
import Foundation

/// An account made by ``EntityBuilders``, with the password it can log in with.
public struct BuiltAccount: Sendable {
    public let account: UserAccount
    /// The plain password (development only; ``EntityBuilders/password`` unless given).
    public let password: String

    /// The account as the service's access checks see it.
    public var identity: Identity { Identity(userID: account.id, role: account.role, tenantID: account.tenantID) }
    public var id: UUID { account.id }
    public var email: String { account.email }
}

/// A doctor made by ``EntityBuilders``: the profile, the clinic their schedule is at, and their login.
public struct BuiltDoctor: Sendable {
    public let doctor: Doctor
    /// The clinic of the doctor's schedule (the first one when several).
    public let clinic: Clinic
    public let password: String

    public var identity: Identity { Identity(userID: doctor.id, role: .doctor, tenantID: doctor.tenantID) }
    public var id: UUID { doctor.id }
    public var email: String { doctor.email }
}

import Foundation

/// The value generators available to templates; each evaluation produces a new value.
///
/// - `fake.email`: `flow+<32 hex digits>@example.test` (unique).
/// - `fake.phone`: an E.164 Indian mobile number, `+919` followed by 9 random digits.
/// - `fake.name`: a plausible Indian full name.
/// - `fake.ipv4`: a random address of 198.18.0.0/15 (RFC 2544's benchmarking block, never a real client): a client
///   of its own for each run, so per-address limits (failed logins) never carry over from an earlier run.
/// - `uuid`: a random UUID, lower-case.
enum FakeData {
    private static let firstNames = [
        "Asha", "Rohan", "Priya", "Arjun", "Kavya", "Vikram", "Meera", "Sanjay", "Ananya", "Rahul", "Divya", "Karan",
    ]
    private static let lastNames = [
        "Rao", "Sharma", "Iyer", "Patel", "Nair", "Gupta", "Reddy", "Menon", "Das", "Singh", "Kulkarni", "Bose",
    ]

    /// Every generator, as written in templates.
    static let generatorNames = ["fake.email", "fake.phone", "fake.name", "fake.ipv4", "uuid"]

    /// The generated value for a path, or `nil` when the path names no generator.
    static func generate(root: String, components: [TemplateExpression.PathComponent]) -> JSONValue? {
        if root == "uuid", components.isEmpty {
            return .string(UUID().uuidString.lowercased())
        }
        guard root == "fake", components.count == 1, case .member(let kind) = components[0] else { return nil }
        switch kind {
        case "email":
            let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return .string("flow+\(token)@example.test")
        case "phone":
            var generator = SystemRandomNumberGenerator()
            let digits = (0..<9).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            return .string("+919" + digits)
        case "ipv4":
            var generator = SystemRandomNumberGenerator()
            let address = UInt32.random(in: 0..<(1 << 17), using: &generator)
            return .string("198.\(18 + (address >> 16)).\((address >> 8) & 0xFF).\(address & 0xFF)")
        case "name":
            return .string("\(firstNames.randomElement() ?? "Asha") \(lastNames.randomElement() ?? "Rao")")
        default:
            return nil
        }
    }
}

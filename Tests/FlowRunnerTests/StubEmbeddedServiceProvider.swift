import FlowCore
import FlowRuntime
import Foundation
import Synchronization

/// An embedded service provider for the runner's own tests, which do not link the booking service: it knows the
/// variables `KNOWN` and `OTHER`, refuses the value `bad` of `KNOWN`, and `WHOLE: bad` as a problem of the block
/// as a whole; it records every variable set it was asked to check. It cannot start anything.
final class StubEmbeddedServiceProvider: EmbeddedServiceProvider {
    private let checks = Mutex<[[String: String]]>([])

    /// Every `server:` variable set checked so far, in order.
    var checked: [[String: String]] { checks.withLock { $0 } }

    func configurationProblems(_ variables: [String: String]) -> [EmbeddedConfigurationProblem] {
        checks.withLock { $0.append(variables) }
        var problems: [EmbeddedConfigurationProblem] = []
        for name in variables.keys.sorted() where !["KNOWN", "OTHER", "WHOLE"].contains(name) {
            problems.append(EmbeddedConfigurationProblem(variable: name, place: .name, message: "'\(name)' is not known"))
        }
        if variables["KNOWN"] == "bad" {
            problems.append(EmbeddedConfigurationProblem(variable: "KNOWN", place: .value, message: "'KNOWN' cannot be 'bad'"))
        }
        if variables["WHOLE"] == "bad" {
            problems.append(EmbeddedConfigurationProblem(variable: nil, place: .value, message: "the whole block is wrong"))
        }
        return problems
    }

    struct CannotStart: Error, CustomStringConvertible {
        var description: String { "the stub provider starts nothing" }
    }

    func start(_ options: EmbeddedServiceOptions) async throws -> any EmbeddedService {
        throw CannotStart()
    }
}

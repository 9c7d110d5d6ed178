/// How often a flow's `setup:` runs in a load test.
///
/// Setup usually creates what the journey works on (a doctor with published hours); running it for every iteration
/// would load-test the setup. By default it runs once per test (open model) or once per virtual user (closed
/// model); a flow whose main steps consume what setup made (a journey that books the one slot its setup published)
/// asks for `per-iteration`, which runs setup, steps and teardown as one iteration and measures them together.
public enum SetupMode: String, Sendable, CaseIterable {
    /// Setup once before the load starts; every iteration runs the main steps on its results. Teardown at the end.
    case perTest = "per-test"
    /// Setup once per virtual user (closed model; the open model treats it as `per-test`).
    case perUser = "per-user"
    /// The whole flow — setup, steps, teardown — is one iteration.
    case perIteration = "per-iteration"
}

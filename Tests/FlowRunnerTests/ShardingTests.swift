import FlowCore
import Foundation
import Testing

@testable import FlowRuntime

/// `run --shard I/N` and `--durations`: every flow file in exactly one shard, the same shards on every machine,
/// balanced by an earlier run's durations — through the planner and through the real binary.
@Suite("Sharding: deterministic, complete, balanced by durations; bad shard and durations values are usage errors")
struct ShardingTests {
    /// A flow file `name.yaml` with `steps` GET /fast steps (and a 3-case matrix when `matrix`).
    static func flowFile(_ name: String, steps: Int, matrix: Bool = false, setup: Bool = false) -> String {
        var text = "name: \(name)\n"
        if matrix { text += "matrix:\n  mode: [a, b, c]\n" }
        if setup { text += "setup:\n  - name: prepare\n    request: {url: /fast}\n    expect: {status: 200}\n" }
        text += "steps:\n"
        for index in 0..<steps { text += "  - name: step \(index)\n    request: {url: /fast}\n    expect: {status: 200}\n" }
        if setup { text += "teardown:\n  - name: clean\n    request: {url: /fast}\n    expect: {status: 200}\n" }
        return text
    }

    static func flows(_ files: [(String, String)]) throws -> [Flow] {
        try files.flatMap { name, text in try FlowText.parse(text, path: "Flows/\(name).yaml").expandingMatrix() }
    }

    @Test(
        "I/N parses; anything else names the problem",
        arguments: [
            ("0/4", "index must be 1 to 4"), ("5/4", "index must be 1 to 4"),
            ("1/0", "count must be 1 to 256"), ("1/300", "count must be 1 to 256"), ("2", "expected I/N"), ("a/b", "expected I/N"), ("1/2/3", "expected I/N"),
        ])
    func shardValues(_ text: String, _ problem: String) throws {
        #expect(try FlowShard(parsing: "2/4") == FlowShard(index: 2, count: 4))
        #expect(throws: FlowShardError.self) { try FlowShard(parsing: text) }
        do {
            _ = try FlowShard(parsing: text)
        } catch {
            #expect(error.description.contains(problem), "\(error.description)")
        }
    }

    @Test("every file lands in exactly one shard, matrix rows and setup with their flow; the plan does not depend on load order")
    func completeAndDeterministic() throws {
        var files = (0..<23).map { ("flow\($0)", Self.flowFile("flow \($0)", steps: 1 + $0 % 5)) }
        files.append(("matrix", Self.flowFile("matrix", steps: 2, matrix: true)))
        files.append(("setup", Self.flowFile("with setup", steps: 2, setup: true)))
        let flows = try Self.flows(files)
        let planner = ShardPlanner()
        for count in [1, 2, 3, 4, 7, 30] {
            let plan = planner.plan(flows, count: count, durations: nil)
            #expect(plan.basis == .steps)
            let suites = plan.shards.flatMap(\.suites)
            #expect(suites.count == files.count && Set(suites).count == files.count, "each file once, \(count) shards")
            let assigned = (1...count).flatMap { index in planner.flows(flows, of: try! FlowShard(index: index, count: count), durations: nil).flows }
            #expect(assigned.map(\.name).sorted() == flows.map(\.name).sorted(), "every flow (and matrix row) runs once")
            let reversed = planner.plan(flows.reversed(), count: count, durations: nil)
            #expect(reversed.shards.map { Set($0.suites) } == plan.shards.map { Set($0.suites) }, "same shards whatever the order")
        }
        let matrixShard = planner.plan(flows, count: 4, durations: nil).shards.first { $0.suites.contains("matrix.yaml") }
        #expect(matrixShard != nil)
        let steps = planner.plan(flows, count: 1, durations: nil).shards[0].weight
        #expect(steps == Double(flows.reduce(0) { $0 + $1.allSteps.count }), "matrix rows count once each, setup and teardown too")
    }

    @Test("with durations the longest shard is near the ideal; a file missing from them weighs the median")
    func durationsBalance() throws {
        let files = (0..<200).map { ("f\($0)", Self.flowFile("f \($0)", steps: 1)) }
        let flows = try Self.flows(files)
        // Skewed durations: a few long files, many short ones.
        var milliseconds: [String: Double] = [:]
        for index in 0..<200 { milliseconds["f\(index).yaml"] = index % 25 == 0 ? 4_000 : Double(50 + (index * 37) % 400) }
        let plan = ShardPlanner().plan(flows, count: 4, durations: FlowDurations(milliseconds: milliseconds))
        #expect(plan.basis == .durations)
        #expect(plan.imbalance < 1.15, "longest shard \(plan.imbalance) × the ideal")

        var partial = milliseconds
        partial.removeValue(forKey: "f7.yaml")
        let median = try #require(FlowDurations(milliseconds: partial).median)
        let withMissing = ShardPlanner().plan(flows, count: 4, durations: FlowDurations(milliseconds: partial))
        let total = withMissing.shards.reduce(0) { $0 + $1.weight }
        #expect(abs(total - (partial.values.reduce(0, +) + median)) < 0.001)
    }

    @Test("durations come from flows.json, skipped flows left out, matrix rows summed; a file that is not flows.json is named")
    func readingDurations() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let good = try folder.write(
            "flows.json",
            #"{"schemaVersion":1,"flows":[{"suite":"a.yaml","durationMs":10,"status":"passed"},{"suite":"a.yaml","durationMs":5,"status":"failed"},{"suite":"b.yaml","durationMs":99,"status":"skipped"}]}"#
        )
        #expect(try FlowDurations(reading: good).milliseconds == ["a.yaml": 15])
        let cases: [(String, String)] = [
            ("not json", "not a flows.json report"), (#"{"flows":[]}"#, "no 'schemaVersion'"),
            (#"{"schemaVersion":2,"flows":[]}"#, "schemaVersion 2 is not supported"),
            (#"{"schemaVersion":1,"flows":[{"suite":"a.yaml","durationMs":-1,"status":"passed"}]}"#, "durationMs -1"),
        ]
        for (text, problem) in cases {
            let path = try folder.write("bad.json", text)
            #expect(throws: FlowShardError.self) { try FlowDurations(reading: path) }
            do {
                _ = try FlowDurations(reading: path)
            } catch {
                #expect(error.description.contains(path) && error.description.contains(problem), "\(error.description)")
            }
        }
        #expect(throws: FlowShardError.self) { try FlowDurations(reading: folder.path + "/missing.json") }
    }

    @Test(
        "the binary: shards of a run cover every flow once, agree with each other, record their shard; mistakes exit 2",
        .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
    func throughTheBinary() async throws {
        try await RunnerBinary.withLoopbackTarget { folder, base in
            for index in 0..<9 { try folder.write("Flows/f\(index).yaml", Self.flowFile("flow \(index)", steps: 1 + index % 3)) }
            try folder.write("Flows/matrix.yaml", Self.flowFile("matrix", steps: 1, matrix: true))
            let full = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "full", "-q"], in: folder.url)
            #expect(full.status == 0, "\(full.standardError)")

            func shardNames(_ index: Int, durations: Bool) throws -> (names: [String], output: String, shard: String?) {
                var arguments = ["run", "Flows", "--target", base, "--report-dir", "s\(index)", "--shard", "\(index)/3"]
                if durations { arguments += ["--durations", "full/flows.json"] }
                let outcome = try RunnerBinary.run(arguments, in: folder.url)
                #expect(outcome.status == 0, "\(outcome.standardError)")
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("s\(index)/flows.json"))) as? [String: Any]
                let flows = json?["flows"] as? [[String: Any]] ?? []
                return (flows.compactMap { $0["name"] as? String }, outcome.standardOutput, json?["shard"] as? String)
            }
            for durations in [false, true] {
                let shards = try (1...3).map { try shardNames($0, durations: durations) }
                let names = shards.flatMap(\.names)
                #expect(names.count == 12 && Set(names).count == 12, "9 flows and 3 matrix rows, each in one shard: \(names)")
                #expect(shards.filter { $0.names.contains { $0.hasPrefix("matrix") } }.allSatisfy { $0.names.filter { $0.hasPrefix("matrix") }.count == 3 })
                #expect(shards.map(\.shard) == ["1/3", "2/3", "3/3"])
                #expect(shards[1].output.contains("shard 2/3: ") && shards[1].output.contains(durations ? "ms from full/flows.json" : "steps"))
                let again = try shardNames(2, durations: durations)
                #expect(again.names == shards[1].names, "the same inputs give the same shard")
            }

            let mistakes: [([String], String)] = [
                (["--shard", "0/3"], "the shard index must be 1 to 3"), (["--shard", "two"], "expected I/N"),
                (["--durations", "full/flows.json"], "needs --shard"),
                (["--shard", "1/3", "--durations", "nope.json"], "--durations nope.json: cannot read it"),
            ]
            for (arguments, message) in mistakes {
                let outcome = try RunnerBinary.run(["run", "Flows", "--target", base, "--report-dir", "bad"] + arguments, in: folder.url)
                #expect(outcome.status == 2, "\(arguments)")
                #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
            }
        }
    }
}

import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("ops/: alert rules name only metrics the service exposes and runbooks that exist")
struct OpsConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Metric names (without `_bucket`/`_sum`/`_count`) in a fresh service's exposition.
    static func exposedNames() -> Set<String> {
        let text = ServiceMetrics().exposition()
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# TYPE ") else { return nil }
            return line.split(separator: " ")[2].description
        })
    }

    @Test("every metric in ops/prometheus/alerts.yml is exposed (up is Prometheus's own)")
    func alertMetrics() throws {
        let rules = try String(contentsOf: Self.root.appendingPathComponent("ops/prometheus/alerts.yml"), encoding: .utf8)
        var exposed = Self.exposedNames()
        // Series that exist only after the first request; their families are registered on demand.
        exposed.formUnion(["http_requests_total", "http_request_duration_seconds"])
        let expressions = rules.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        let used = Set(expressions.matches(of: /\b([a-z_]+(?:_total|_seconds|_bytes|_up|_fds)|database_up|up)(?:_bucket)?\{/).map { String($0.1) })
        #expect(used.count >= 8, "\(used)")
        for name in used where name != "up" {
            #expect(exposed.contains(name), "\(name) is used by an alert but not exposed")
        }
    }

    @Test("every runbook_url points to a section of docs/runbooks.md")
    func runbooks() throws {
        let rules = try String(contentsOf: Self.root.appendingPathComponent("ops/prometheus/alerts.yml"), encoding: .utf8)
        let runbooks = try String(contentsOf: Self.root.appendingPathComponent("docs/runbooks.md"), encoding: .utf8)
        let anchors = Set(runbooks.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { heading in
            heading.dropFirst(3).lowercased().replacing(/[^a-z0-9 -]/, with: "").replacing(" ", with: "-")
        })
        let links = rules.matches(of: /runbook_url: docs\/runbooks\.md#([a-z0-9-]+)/).map { String($0.1) }
        #expect(links.count == 8)
        for link in links { #expect(anchors.contains(link), "#\(link) is a heading of docs/runbooks.md") }
    }
}

import BookingServer
import Foundation
import Hummingbird
import IllajwalaTesting
import Testing
import Yams

/// `openapi.yaml` (package root) must describe exactly the routes the server registers.
@Suite("OpenAPI document ↔ router parity")
struct OpenAPIParityTests {
    /// An operation: upper-case HTTP method and an OpenAPI-style path (`/api/clinics/{id}`).
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method) \(path)" }
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Hummingbird path → OpenAPI path: leading slash, `:name` → `{name}`.
    static func normalise(_ path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map { component in
            component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
        }
        return "/" + components.joined(separator: "/")
    }

    /// Every (method, path) of `openapi.yaml`.
    static func documentedOperations() throws -> Set<Operation> {
        let url = PackagePaths.root.appendingPathComponent("openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any], "openapi.yaml is not a mapping")
        let paths = try #require(document["paths"] as? [String: Any], "openapi.yaml has no paths")
        var operations: Set<Operation> = []
        for (path, item) in paths {
            let item = try #require(item as? [String: Any], "path item \(path) is not a mapping")
            for key in item.keys where httpMethods.contains(key.lowercased()) {
                operations.insert(Operation(method: key.uppercased(), path: normalise(path)))
            }
        }
        return operations
    }

    @Test("every registered route is documented and every documented operation is registered")
    func parity() async throws {
        let server = try await LiveServer.start()
        let router = BookingApplication.router(services: server.services)
        let registered = Set(router.routes.map { Operation(method: $0.method.rawValue.uppercased(), path: Self.normalise($0.path.description)) })
        await server.stop()

        let documented = try Self.documentedOperations()
        #expect(!registered.isEmpty)

        // The awaited operations must be documented and must not be routed yet (see the constant's comment).
        let expected = documented
        let undocumented = registered.subtracting(expected).sorted()
        let unrouted = expected.subtracting(registered).sorted()
        if !undocumented.isEmpty || !unrouted.isEmpty {
            print("OpenAPI parity: routed but not in openapi.yaml: \(undocumented)")
            print("OpenAPI parity: in openapi.yaml but not routed: \(unrouted)")
        }
        #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented)")
        #expect(unrouted.isEmpty, "openapi.yaml operations the router does not serve: \(unrouted)")
    }

    @Test("path normalisation")
    func normalisation() {
        #expect(Self.normalise("api/clinics/:id") == "/api/clinics/{id}")
        #expect(Self.normalise("/api/clinics/{id}") == "/api/clinics/{id}")
        #expect(Self.normalise("health") == "/health")
    }
}

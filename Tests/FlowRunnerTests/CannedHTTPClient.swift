import APITransport
import Foundation
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// A ``FlowHTTPClient`` that answers from a closure and remembers every request, for engine tests without a network.
struct CannedHTTPClient: FlowHTTPClient {
    actor Log {
        var requests: [APIRequest] = []
        func append(_ request: APIRequest) { requests.append(request) }
    }

    let log = Log()
    let respond: @Sendable (APIRequest) throws(APITransportError) -> APIResponse

    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        await log.append(request)
        return try respond(request)
    }

    static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> APIResponse {
        APIResponse(
            status: status, headers: [("content-type", "application/json")] + headers, body: Data(body.utf8), duration: .seconds(0.01))
    }
}

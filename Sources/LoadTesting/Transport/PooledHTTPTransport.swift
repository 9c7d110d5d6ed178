import APITransport
import AsyncHTTPClient
import FlowRuntime
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The load generator's HTTP client: AsyncHTTPClient on SwiftNIO, one connection pool shared by every iteration,
/// keep-alive, no redirects, no cookies, no decompression — every caller sees exactly what the server answered.
///
/// Why not the functional runner's ``HTTPTransport``: Foundation's URLSession runs on libcurl on Linux and, measured
/// on this machine against `/health/live`, reached well under half of wrk's request rate on the same route (the
/// figures are in docs/performance-tuning.md and printed by scripts/benchmark-api.sh), so the generator would have
/// been the bottleneck. The functional runner keeps URLSession: it sends one step at a time per flow, where the
/// client's per-request cost is not what is measured.
public final class PooledHTTPTransport: FlowHTTPClient {
    private let client: HTTPClient
    private let group: MultiThreadedEventLoopGroup
    /// Largest response body read, bytes; a longer one is a transport error (the load test is not a download test).
    public static let maximumBodyBytes = 16 * 1024 * 1024

    /// - Parameters:
    ///   - connectionsPerHost: connections kept open to the target (HTTP/1.1, one request each at a time).
    ///   - eventLoops: threads running the connections (`ILLAJWALA_LOAD_EVENT_LOOPS`, default 1: on a machine it shares
    ///     with the service, one loop thread handles thousands of requests a second and leaves the other cores to it).
    public init(connectionsPerHost: Int, eventLoops: Int = 1) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, eventLoops))
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
    }

    /// Where journeys run so that they share the connections' thread (``EventLoopTaskExecutor``); the first loop.
    public var taskExecutor: any TaskExecutor { EventLoopTaskExecutor(group.next()) }

    /// Closes the pool's connections. Call once, after the last request.
    public func shutdown() async {
        try? await client.shutdown()
        try? await group.shutdownGracefully()
    }

    public func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
            var headers: [(name: String, value: String)] = response.headers.map { (name: $0.name.lowercased(), value: $0.value) }
            headers.sort { $0.name < $1.name }
            return APIResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView), duration: started.duration(to: .now))
        } catch {
            throw APITransportError(kind: Self.kind(of: error), message: String(describing: error), url: request.url)
        }
    }

    /// The transport-error kind of an AsyncHTTPClient or NIO error.
    static func kind(of error: any Error) -> APITransportError.Kind {
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            case .remoteConnectionClosed: return .unreachable
            default: return .other
            }
        }
        if error is NIOConnectionError { return .unreachable }
        if let io = error as? IOError, [ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH].contains(io.errnoCode) { return .unreachable }
        return .other
    }
}

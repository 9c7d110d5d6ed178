import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP server for load-mode tests, playing a service with known timing:
/// - `GET /fast`: `200 {"ok":true}` at once;
/// - `GET /slow`: the same after 150 ms (a route that breaks a tight latency threshold);
/// - `POST /stall?ms=N`: every response starts no earlier than N ms from now (the server freezes, as under a GC
///   pause or a lock), answered `200` at once; ``start(stallAtRequest:for:)`` freezes it the same way when its N-th
///   request arrives, so a test's stall falls inside the load however slowly the machine runs;
/// - `POST /api/auth/login` and `/api/auth/refresh`: a session (counted in ``logins``), the access token a JWT with
///   `exp` an hour ahead;
/// - `GET /health/ready`: `200 {}`.
final class LoadTargetServer: @unchecked Sendable {
    let baseURL: URL
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: SharedState

    final class SharedState: Sendable {
        let stallUntil = Mutex<NIODeadline>(.uptimeNanoseconds(0))
        let stallAt: Int?
        let stallFor: TimeAmount
        init(stallAt: Int?, stallFor: TimeAmount) {
            self.stallAt = stallAt
            self.stallFor = stallFor
        }
        let logins = Atomic<Int>(0)
        let requests = Atomic<Int>(0)
    }

    /// Logins and refreshes answered.
    var logins: Int { state.logins.load(ordering: .relaxed) }
    /// Requests answered.
    var requests: Int { state.requests.load(ordering: .relaxed) }

    private init(baseURL: URL, group: MultiThreadedEventLoopGroup, channel: any Channel, state: SharedState) {
        self.baseURL = baseURL
        self.group = group
        self.channel = channel
        self.state = state
    }

    static func start(stallAtRequest: Int? = nil, for stall: TimeAmount = .seconds(1)) async throws -> LoadTargetServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let state = SharedState(stallAt: stallAtRequest, stallFor: stall)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.backlog, value: 512)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Responder(state: state)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        return LoadTargetServer(baseURL: URL(string: "http://127.0.0.1:\(port)")!, group: group, channel: channel, state: state)
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// A JWT-shaped token (unsigned; the runner only reads `exp`).
    static func token(expiresIn seconds: Int) -> String {
        let header = Data(#"{"alg":"none"}"#.utf8).base64EncodedString()
        let payload = Data(#"{"exp":\#(Int(Date().timeIntervalSince1970) + seconds),"sub":"\#(UUID().uuidString)"}"#.utf8).base64EncodedString()
        func url(_ text: String) -> String {
            text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return url(header) + "." + url(payload) + ".signature"
    }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: SharedState
        var head: HTTPRequestHead?
        init(state: SharedState) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                respond(to: head, context: context)
            }
        }

        private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
            let number = state.requests.add(1, ordering: .relaxed).newValue
            if number == state.stallAt { state.stallUntil.withLock { $0 = .now() + state.stallFor } }
            let path = String(head.uri.split(separator: "?").first ?? "")
            var delay = TimeAmount.zero
            var body = #"{"ok":true}"#
            switch (head.method, path) {
            case (.POST, "/stall"):
                let milliseconds = Int64(head.uri.split(separator: "=").last ?? "0") ?? 0
                state.stallUntil.withLock { $0 = .now() + .milliseconds(milliseconds) }
            case (.GET, "/slow"):
                delay = .milliseconds(150)
            case (.POST, "/api/auth/login"), (.POST, "/api/auth/refresh"):
                state.logins.add(1, ordering: .relaxed)
                body = #"{"success":true,"data":{"accessToken":"\#(LoadTargetServer.token(expiresIn: 3600))","refreshToken":"r-\#(UUID().uuidString)"}}"#
            default:
                break
            }
            let stall = state.stallUntil.withLock { $0 }
            let now = NIODeadline.now()
            if stall > now, path != "/stall" { delay = max(delay, stall - now) }
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let answer = body
            let send = { @Sendable in
                let context = loopBound.value
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: "\(answer.utf8.count)")
                context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: answer.utf8.count)
                buffer.writeString(answer)
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            }
            if delay > .zero { context.eventLoop.scheduleTask(in: delay, send) } else { send() }
        }
    }
}

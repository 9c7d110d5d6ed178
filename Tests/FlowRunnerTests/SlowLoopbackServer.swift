import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP server on 127.0.0.1 that answers every request with `200 {}` after `delay`, for testing
/// client timeouts against a real socket (the booking service has no slow route).
final class SlowLoopbackServer: @unchecked Sendable {
    let baseURL: URL
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    private init(baseURL: URL, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.baseURL = baseURL
        self.group = group
        self.channel = channel
    }

    static func start(delay: TimeAmount) async throws -> SlowLoopbackServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(DelayedResponder(delay: delay)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        return SlowLoopbackServer(baseURL: URL(string: "http://127.0.0.1:\(port)")!, group: group, channel: channel)
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    private final class DelayedResponder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let delay: TimeAmount
        init(delay: TimeAmount) { self.delay = delay }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                let context = loopBound.value
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: "2")
                context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: 2)
                buffer.writeString("{}")
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            }
        }
    }
}

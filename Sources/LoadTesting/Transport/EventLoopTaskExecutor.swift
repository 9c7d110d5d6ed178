import NIOCore

/// Runs Swift tasks on a SwiftNIO event loop: the load generator's journeys and the HTTP client's I/O then share one
/// thread, and a response resumes its journey without a hand-off to another thread (a context switch and a wake-up
/// per request otherwise; they were the generator's largest cost after the HTTP parser, docs/performance-tuning.md).
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

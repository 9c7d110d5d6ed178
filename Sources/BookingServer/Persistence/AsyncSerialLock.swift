/// A FIFO lock for async code: at most one holder at a time, waiters resume in arrival order.
/// Used to give one SQLite connection to one unit of work (a query or a whole transaction) at a time.
actor AsyncSerialLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

import Foundation

/// A pool of worker threads, as many as the cores, running each task's work items one at a time
/// and in submission order.
///
/// Workers always pick the lowest-numbered task that has work, so tasks tend to finish one after
/// another rather than all at the end: a crash then loses the least work, and resume has less to do.
final class TaskScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var queues: [Int: [() -> Void]] = [:]
    private var busy: Set<Int> = []
    private var closed = false
    private var running = 0
    private let finished = DispatchGroup()

    init(workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        for index in 0..<max(1, workers) {
            finished.enter()
            let thread = Thread { [self] in
                work()
                finished.leave()
            }
            thread.name = "pipe-worker-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Queues work for a task; it runs after the task's earlier work, never alongside it.
    func submit(task: Int, _ work: @escaping () -> Void) {
        condition.lock()
        queues[task, default: []].append(work)
        condition.signal()
        condition.unlock()
    }

    /// Waits until every queued item has run, then stops the workers.
    func finish() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private func next() -> (Int, () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let ready = queues.keys.filter { !busy.contains($0) && !(queues[$0]?.isEmpty ?? true) }
            if let task = ready.min(), var queue = queues[task], !queue.isEmpty {
                let work = queue.removeFirst()
                queues[task] = queue.isEmpty ? nil : queue
                busy.insert(task)
                return (task, work)
            }
            if closed && queues.isEmpty && busy.isEmpty { return nil }
            if closed && queues.isEmpty && !busy.isEmpty {
                condition.wait()
                continue
            }
            condition.wait()
        }
    }

    private func work() {
        while let (task, item) = next() {
            item()
            condition.lock()
            busy.remove(task)
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}

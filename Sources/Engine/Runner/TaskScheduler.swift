import Foundation

/// A pool of worker threads, as many as the cores, running each task's work items one at a time
/// and in submission order.
///
/// Workers always pick the lowest-numbered task that has work, so tasks tend to finish one after
/// another rather than all at the end: a crash then loses the least work, and resume has less to do.
final class TaskScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var queues: [Int: WorkQueue] = [:]
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
        queues[task, default: WorkQueue()].append(work)
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
            if let task = queues.keys.filter({ !busy.contains($0) }).min(), let work = queues[task]?.removeFirst() {
                if queues[task]?.isEmpty ?? false { queues[task] = nil }
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

/// One task's pending work in submission order.
///
/// Taking the first item moves an index instead of shifting the array: a task can have thousands of
/// items waiting (the read-ahead budget is 256 MB of small files), and shifting them all for each item
/// taken cost more than the scheduling itself.
private struct WorkQueue {
    private var items: [() -> Void] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ work: @escaping () -> Void) { items.append(work) }

    mutating func removeFirst() -> (() -> Void)? {
        guard head < items.count else { return nil }
        let work = items[head]
        items[head] = {}
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return work
    }
}

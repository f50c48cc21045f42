import Foundation

/// Overlaps the two halves of an export: this thread reads, merges and splits records while a
/// background thread compresses and writes them, handing over bounded batches so memory stays flat.
final class ExportPipeline: @unchecked Sendable {
    private let shards: SplitShardWriters
    private let lock = NSCondition()
    private var queue: [[(split: String, bytes: [UInt8])]] = []
    private var closed = false
    private var failure: Error?
    private var batch: [(split: String, bytes: [UInt8])] = []
    private var batchBytes = 0
    private let thread: Thread
    private let finished = DispatchSemaphore(value: 0)

    /// Batches this large go to the writer at once; at most `maxQueued` wait, so at most a few MiB are in flight.
    static let batchBytes = 1 << 20
    static let maxQueued = 8

    init(shards: SplitShardWriters) {
        self.shards = shards
        let box = WeakBox()
        thread = Thread { box.pipeline?.drain() }
        box.pipeline = self
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a record for a split.
    func write(_ bytes: [UInt8], split: String) throws {
        batch.append((split, bytes))
        batchBytes += bytes.count
        if batchBytes >= Self.batchBytes { try handOver() }
    }

    private func handOver() throws {
        lock.lock()
        while queue.count >= Self.maxQueued && failure == nil { lock.wait() }
        if let failure {
            lock.unlock()
            throw failure
        }
        queue.append(batch)
        lock.signal()
        lock.unlock()
        batch = []
        batchBytes = 0
    }

    /// Waits for the writer to finish everything queued; rethrows its error.
    func finish() throws -> [ExportedFile] {
        if !batch.isEmpty { try? handOver() }
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
        finished.wait()
        if let failure { throw failure }
        return try shards.finish()
    }

    private func drain() {
        while true {
            lock.lock()
            while queue.isEmpty && !closed { lock.wait() }
            if queue.isEmpty && closed {
                lock.unlock()
                break
            }
            let next = queue.removeFirst()
            lock.broadcast()
            lock.unlock()
            do {
                for entry in next { try shards.write(entry.bytes, split: entry.split) }
            } catch {
                lock.lock()
                failure = error
                queue.removeAll()
                closed = true
                lock.broadcast()
                lock.unlock()
                break
            }
        }
        finished.signal()
    }

    /// Lets the thread reach the pipeline without a retain cycle at construction time.
    private final class WeakBox: @unchecked Sendable {
        weak var pipeline: ExportPipeline?
    }
}

import Foundation

/// Overlaps the two halves of an export: the calling thread reads, merges and splits records and
/// packs them into per-split blocks of whole lines, while a background thread compresses and writes
/// the blocks. Shard boundaries are decided here, on the reading side, so the writer does nothing per
/// record; bounded queues and recycled blocks keep memory flat.
final class ExportPipeline: @unchecked Sendable {
    /// What the writer thread is told to do, in order.
    private enum Step {
        /// Append the block's whole lines to the split's open shard, opening one if needed.
        case lines(split: Int, block: LineBlock)
        /// Commit the split's open shard: the next lines start a new one.
        case closeShard(split: Int)
    }

    /// Whole lines on their way to the writer. A class, so that the writer can hand the same storage back
    /// for reuse (an array copied out of a queued value would be shared, and clearing it would reallocate).
    private final class LineBlock {
        var bytes: [UInt8] = []
        var lines = 0

        init() { bytes.reserveCapacity(ExportPipeline.blockBytes + (64 << 10)) }
    }

    /// Where a split's lines gather before they go to the writer, and how full its current shard is.
    private struct SplitState {
        var block: LineBlock?
        var shardBytes: Int64 = 0
        var shardRecords: Int64 = 0
    }

    /// A block goes to the writer once it holds this many bytes; at most `maxQueued` steps wait.
    static let blockBytes = 1 << 20
    static let maxQueued = 8

    private let shards: SplitShardWriters
    private let splitNames: [String]
    private let shardBytes: Int64
    private let shardRecords: Int64?
    private var states: [SplitState]

    private let lock = NSCondition()
    private var queue: [Step] = []
    private var spareBlocks: [LineBlock] = []
    private var closed = false
    private var failure: Error?
    private let finished = DispatchSemaphore(value: 0)

    init(shards: SplitShardWriters, splitNames: [String], shardBytes: Int64, shardRecords: Int64?) {
        self.shards = shards
        self.splitNames = splitNames
        self.shardBytes = max(shardBytes, 1)
        self.shardRecords = shardRecords
        states = Array(repeating: SplitState(), count: splitNames.count)
        let box = WeakBox()
        let thread = Thread { box.pipeline?.drain() }
        box.pipeline = self
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Adds one record (without its newline) to split number `split`.
    func write(_ record: UnsafeRawBufferPointer, split: Int) throws {
        let full = shardRecords.map { states[split].shardRecords >= $0 } ?? (states[split].shardBytes >= shardBytes)
        if states[split].shardRecords > 0 && full {
            try flush(split)
            try enqueue(.closeShard(split: split))
            states[split].shardBytes = 0
            states[split].shardRecords = 0
        }
        let block = states[split].block ?? takeSpareBlock()
        states[split].block = block
        block.bytes.append(contentsOf: record)
        block.bytes.append(0x0A)
        block.lines += 1
        states[split].shardBytes += Int64(record.count + 1)
        states[split].shardRecords += 1
        if block.bytes.count >= Self.blockBytes { try flush(split) }
    }

    /// Hands over what is left, waits for the writer to finish and names the shards; rethrows the writer's error.
    func finish() throws -> [ExportedFile] {
        for split in states.indices { try? flush(split) }
        stopWriter()
        if let failure { throw failure }
        return try shards.finish()
    }

    /// Stops the writer after an error on the reading side; what was written is discarded by the caller.
    func abandon() {
        stopWriter()
    }

    private func stopWriter() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
        finished.wait()
    }

    private func flush(_ split: Int) throws {
        guard let block = states[split].block, block.lines > 0 else { return }
        states[split].block = nil
        try enqueue(.lines(split: split, block: block))
    }

    private func enqueue(_ step: Step) throws {
        lock.lock()
        defer { lock.unlock() }
        while queue.count >= Self.maxQueued && failure == nil && !closed { lock.wait() }
        if let failure { throw failure }
        queue.append(step)
        lock.signal()
    }

    private func takeSpareBlock() -> LineBlock {
        lock.lock()
        let spare = spareBlocks.popLast()
        lock.unlock()
        return spare ?? LineBlock()
    }

    private func drain() {
        while true {
            lock.lock()
            while queue.isEmpty && !closed { lock.wait() }
            if queue.isEmpty {
                lock.unlock()
                break
            }
            let step = queue.removeFirst()
            lock.broadcast()
            lock.unlock()
            do {
                switch step {
                case .lines(let split, let block):
                    try block.bytes.withUnsafeBytes { try shards.write(lines: $0, count: block.lines, split: splitNames[split]) }
                    recycle(block)
                case .closeShard(let split):
                    try shards.close(splitNames[split])
                }
            } catch {
                lock.lock()
                failure = error
                queue.removeAll()
                lock.broadcast()
                lock.unlock()
                break
            }
        }
        finished.signal()
    }

    private func recycle(_ block: LineBlock) {
        // A huge record leaves a huge block behind; keeping it would hold that memory for the whole export.
        guard block.bytes.capacity <= 4 * Self.blockBytes else { return }
        block.bytes.removeAll(keepingCapacity: true)
        block.lines = 0
        lock.lock()
        if spareBlocks.count < Self.maxQueued + splitNames.count { spareBlocks.append(block) }
        lock.unlock()
    }

    /// Lets the thread reach the pipeline without a retain cycle at construction time.
    private final class WeakBox: @unchecked Sendable {
        weak var pipeline: ExportPipeline?
    }
}

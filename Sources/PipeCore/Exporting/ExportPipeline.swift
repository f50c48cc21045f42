import Foundation

/// Overlaps the two halves of an export: the calling thread reads, merges and splits records and
/// packs them into per-split blocks of whole lines, while a background thread compresses and writes
/// the blocks. Shard boundaries are decided here, on the reading side, so the writer does nothing per
/// record; bounded queues and recycled blocks keep memory flat.
final class ExportPipeline: @unchecked Sendable {
    /// What the writer thread is told to do, in order.
    private enum Step {
        /// Append whole lines (`count` of them) to the split's open shard, opening one if needed.
        case lines(split: Int, block: [UInt8], count: Int)
        /// Commit the split's open shard: the next lines start a new one.
        case closeShard(split: Int)
    }

    /// Where a split's lines gather before they go to the writer, and how full its current shard is.
    private struct SplitState {
        var block: [UInt8] = []
        var lines = 0
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
    private var spareBlocks: [[UInt8]] = []
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
        if states[split].block.capacity == 0 { states[split].block = takeSpareBlock() }
        states[split].block.append(contentsOf: record)
        states[split].block.append(0x0A)
        states[split].lines += 1
        states[split].shardBytes += Int64(record.count + 1)
        states[split].shardRecords += 1
        if states[split].block.count >= Self.blockBytes { try flush(split) }
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
        guard states[split].lines > 0 else { return }
        let block = states[split].block
        let count = states[split].lines
        states[split].block = []
        states[split].lines = 0
        try enqueue(.lines(split: split, block: block, count: count))
    }

    private func enqueue(_ step: Step) throws {
        lock.lock()
        defer { lock.unlock() }
        while queue.count >= Self.maxQueued && failure == nil && !closed { lock.wait() }
        if let failure { throw failure }
        queue.append(step)
        lock.signal()
    }

    private func takeSpareBlock() -> [UInt8] {
        lock.lock()
        let spare = spareBlocks.popLast()
        lock.unlock()
        if let spare { return spare }
        var block: [UInt8] = []
        block.reserveCapacity(Self.blockBytes + (64 << 10))
        return block
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
                case .lines(let split, var block, let count):
                    try block.withUnsafeBytes { try shards.write(lines: $0, count: count, split: splitNames[split]) }
                    recycle(&block)
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

    private func recycle(_ block: inout [UInt8]) {
        // A huge record leaves a huge block behind; keeping it would hold that memory for the whole export.
        guard block.capacity <= 4 * Self.blockBytes else { return }
        block.removeAll(keepingCapacity: true)
        lock.lock()
        if spareBlocks.count < Self.maxQueued + splitNames.count { spareBlocks.append(block) }
        lock.unlock()
    }

    /// Lets the thread reach the pipeline without a retain cycle at construction time.
    private final class WeakBox: @unchecked Sendable {
        weak var pipeline: ExportPipeline?
    }
}

import StageKit
import Readers
/// What a JSON Lines shard is written through: one thread (`ShardWriter`) or chunk-parallel compression
/// (`ParallelShardWriter`).
public protocol LineShardWriter: AnyObject {
    /// Appends one line; `bytes` must not contain a newline, which is added here.
    func write(line bytes: UnsafeRawBufferPointer) throws
    /// Appends `count` complete lines at once: `bytes` holds them with their newlines, the last byte a newline.
    func write(lines bytes: UnsafeRawBufferPointer, count: Int) throws
    /// Finishes the file, makes it durable, renames it into place and describes it.
    func commit() throws -> ShardFileInfo
    /// Drops everything written; no file appears under the final name.
    func abandon()
}

extension LineShardWriter {
    /// Appends one line from any byte collection; `bytes` must not contain a newline, which is added here.
    public func write(line bytes: some Collection<UInt8>) throws {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try write(line: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try write(line: $0) }
        }
    }
}

extension ShardWriter: LineShardWriter {}
extension ParallelShardWriter: LineShardWriter {}

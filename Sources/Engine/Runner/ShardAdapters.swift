import Readers
/// Pulls lines one at a time from a shard, for merges that read several files in lockstep.
struct ShardLineCursor {
    private let reader: ShardReader

    init(path: String) throws {
        reader = try ShardReader(path: path)
    }

    mutating func next() throws -> [UInt8]? { try reader.next()?.bytes }
}

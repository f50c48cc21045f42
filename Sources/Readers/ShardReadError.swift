
/// Why a shard could not be read, with the file and the decompressed byte offset involved.
public enum ShardReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened (missing, unreadable, a directory).
    case cannotOpen(path: String, message: String)
    /// The operating system failed a read; `offset` counts decompressed bytes delivered so far.
    case io(path: String, offset: Int64, message: String)
    /// The compressed data is truncated or corrupt; every complete line before `offset` was delivered.
    case damaged(path: String, offset: Int64, message: String)
    /// A line is longer than the reader's limit; reading may continue with the next line.
    case lineTooLong(path: String, lineNumber: Int, offset: Int64, limit: Int)
    /// The file is compressed in a way shards never are (xz, bzip2, lz4, or compressed twice).
    case unsupported(path: String, message: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .io(let path, _, _), .damaged(let path, _, _),
            .lineTooLong(let path, _, _, _), .unsupported(let path, _):
            return path
        }
    }

    /// A stable code for rejects and diagnostics, as listed in README.md.
    public var code: String {
        switch self {
        case .cannotOpen: return "shard.open"
        case .io: return "shard.io"
        case .damaged: return "shard.damaged"
        case .lineTooLong: return "shard.line_too_long"
        case .unsupported: return "shard.unsupported"
        }
    }

    /// What went wrong, without the path: a reject's `reason`.
    public var reason: String {
        switch self {
        case .cannotOpen(_, let message):
            return "cannot open: \(message)"
        case .io(_, let offset, let message):
            return "read failed after \(offset) decompressed bytes: \(message)"
        case .damaged(_, let offset, let message):
            return "damaged after \(offset) decompressed bytes: \(message)"
        case .lineTooLong(_, _, let offset, let limit):
            return "the line at decompressed offset \(offset) is longer than \(limit) bytes"
        case .unsupported(_, let message):
            return "unsupported file: \(message)"
        }
    }

    /// The 1-based line involved, when the error is about one line.
    public var lineNumber: Int? {
        if case .lineTooLong(_, let lineNumber, _, _) = self { return lineNumber }
        return nil
    }

    /// The decompressed byte offset involved, when there is one.
    public var offset: Int64? {
        switch self {
        case .io(_, let offset, _), .damaged(_, let offset, _), .lineTooLong(_, _, let offset, _):
            return offset
        case .cannotOpen, .unsupported:
            return nil
        }
    }

    public var description: String {
        if let lineNumber { return "\(path):\(lineNumber): error: \(reason)" }
        return "\(path): error: \(reason)"
    }
}

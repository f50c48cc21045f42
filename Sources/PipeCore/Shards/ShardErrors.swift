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

/// Why a shard could not be written; nothing is left under the final name when this is thrown.
public enum ShardWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file operation on the temporary or final file failed.
    case file(AtomicFileError)
    /// libarchive refused a setting or failed while compressing.
    case libarchive(path: String, message: String)
    /// The compression level is outside what the compressor accepts.
    case invalidLevel(path: String, compression: Compression, level: Int)
    /// A line given to `write(line:)` contains a newline byte, which would split the record.
    case newlineInLine(path: String, lineNumber: Int64)
    /// A block given to `write(lines:count:)` does not end with a newline, or claims no lines.
    case unterminatedLines(path: String, lineNumber: Int64)
    /// The writer was already committed or abandoned.
    case finished(path: String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .libarchive(let path, let message):
            return "\(path): error: compression failed: \(message)"
        case .invalidLevel(let path, let compression, let level):
            return "\(path): error: \(level) is not a valid \(compression.rawValue) compression level"
        case .newlineInLine(let path, let lineNumber):
            return "\(path):\(lineNumber): error: a line to write contains a newline byte"
        case .unterminatedLines(let path, let lineNumber):
            return "\(path):\(lineNumber): error: a block of lines to write does not end with a newline"
        case .finished(let path):
            return "\(path): error: the shard writer was already committed or abandoned"
        }
    }
}

/// An operating-system failure while writing a file atomically.
public struct AtomicFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the file being written (its final name).
    public var path: String
    /// The operation that failed: `create`, `write`, `fsync`, `close`, `rename`, `fsync directory`.
    public var operation: String
    /// The `errno` value, or 0 when the failure did not come from the system.
    public var code: Int32
    /// The system's text for `code`, or a description of the failure.
    public var message: String

    public init(path: String, operation: String, code: Int32, message: String) {
        self.path = path
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String { "\(path): error: \(operation) failed: \(message)" }
}

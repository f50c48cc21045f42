import StageKit
import Readers

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

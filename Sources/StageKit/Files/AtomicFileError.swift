#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The text of an `errno` value, for error messages.
public func systemErrorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears under its final name only once complete and durable (temp file, fsync, rename).
public final class AtomicFile {
    /// The name the file gets when committed.
    public let path: String
    /// The hidden name the bytes go to until then, in the same directory so the rename is atomic.
    public let temporaryPath: String
    /// Bytes written so far.
    public internal(set) var bytesWritten: Int64 = 0

    // Internal rather than private: the raw write lives in the module's low-level file.
    var descriptor: Int32
    private var finished = false

    /// Creates the temporary file; nothing is visible under `path` until `commit()`.
    public init(path: String, permissions: mode_t = 0o644) throws {
        self.path = path
        let (directory, name) = AtomicFile.split(path)
        // Long names would push the temporary name past NAME_MAX.
        let shortName = String(decoding: name.utf8.prefix(180), as: UTF8.self)
        var attempt = 0
        while true {
            let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            let candidate = "\(directory)/.tmp-\(shortName)-\(getpid())-\(suffix)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                return
            }
            let code = errno
            attempt += 1
            // O_EXCL makes a clash with a leftover file from a crashed run visible; pick another name.
            if (code == EEXIST && attempt < 16) || code == EINTR { continue }
            throw AtomicFileError(path: path, operation: "create", code: code,
                                  message: "\(candidate): \(systemErrorText(code))")
        }
    }

    deinit {
        if !finished { discard() }
    }

    /// Throws unless the file is still open for writing (the writes themselves are in the module's low-level file).
    func checkWritable() throws {
        guard !finished else {
            throw AtomicFileError(path: path, operation: "write", code: 0, message: "the file was already committed or abandoned")
        }
    }

    /// Makes the bytes durable and moves them under the final name, replacing any file there.
    ///
    /// On failure before the rename the temporary file is removed; a failure of the last step,
    /// the directory sync, leaves the complete file in place but its rename may not survive a crash.
    public func commit() throws {
        guard !finished else {
            throw AtomicFileError(path: path, operation: "commit", code: 0, message: "the file was already committed or abandoned")
        }
        if fsync(descriptor) != 0 {
            let code = errno
            discard()
            throw AtomicFileError(path: path, operation: "fsync", code: code, message: systemErrorText(code))
        }
        // Some file systems (NFS) report deferred write errors only at close.
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 {
            let code = errno
            discard()
            throw AtomicFileError(path: path, operation: "close", code: code, message: systemErrorText(code))
        }
        if rename(temporaryPath, path) != 0 {
            let code = errno
            discard()
            throw AtomicFileError(path: path, operation: "rename", code: code, message: systemErrorText(code))
        }
        finished = true
        // Without this the rename itself may be lost in a crash, leaving the old file or none.
        try AtomicFile.syncDirectory(of: path)
    }

    /// Removes the temporary file; the final name is left untouched.
    public func abandon() {
        if !finished { discard() }
    }

    /// Writes `bytes` to `path` atomically in one call.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o644) throws {
        let file = try AtomicFile(path: path, permissions: permissions)
        try file.write(bytes)
        try file.commit()
    }

    /// Flushes a directory entry change (create, rename) of `path` to disk.
    static func syncDirectory(of path: String) throws {
        let (directory, _) = split(path)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw AtomicFileError(path: path, operation: "fsync directory", code: code,
                                  message: "\(directory): \(systemErrorText(code))")
        }
        defer { close(fd) }
        if fsync(fd) != 0 {
            let code = errno
            // Some file systems cannot sync a directory and say so; the rename is then as durable as it gets.
            if code == EINVAL || code == ENOTSUP { return }
            throw AtomicFileError(path: path, operation: "fsync directory", code: code,
                                  message: "\(directory): \(systemErrorText(code))")
        }
    }

    private func discard() {
        finished = true
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    /// The directory part (`.` when there is none) and the last component of a path.
    private static func split(_ path: String) -> (directory: String, name: String) {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
        let directory = slash == 0 ? "/" : String(decoding: bytes[..<slash], as: UTF8.self)
        return (directory, String(decoding: bytes[(slash + 1)...], as: UTF8.self))
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system helpers with errors that name the path.
public enum FileSystem {
    /// Creates a folder and its parents; succeeds when it exists.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PipeError("io.mkdir", "cannot create folder \(path): \(error.localizedDescription)")
        }
    }

    /// Removes a file or folder tree; succeeds when it does not exist.
    public static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw PipeError("io.remove", "cannot remove \(path): \(error.localizedDescription)")
        }
    }

    /// Renames a file or folder (on one file system: atomic).
    public static func move(_ path: String, to destination: String) throws {
        guard rename(path, destination) == 0 else {
            throw PipeError("io.move", "cannot move \(path) to \(destination): \(systemErrorText(errno))")
        }
    }

    /// Whether a path exists, and whether it is a folder.
    public static func exists(_ path: String) -> (exists: Bool, isDirectory: Bool) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return (exists, isDirectory.boolValue)
    }

    /// The names in a folder, sorted byte-wise so listings are deterministic.
    public static func list(_ path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Writes text atomically (temporary name, fsync, rename).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// Reads a whole small regular file; anything else (a FIFO, a device, a folder) is refused without
    /// blocking: `io.not_regular`. Larger than `limit`: `io.too_large`.
    public static func read(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw PipeError("io.read", "cannot open \(path): \(systemErrorText(errno))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw PipeError("io.not_regular", "\(path) is not a regular file")
        }
        guard Int64(status.st_size) <= Int64(limit) else {
            throw PipeError("io.too_large", "\(path) is larger than \(limit) bytes")
        }
        // Read to the end rather than to the size fstat gave: a file that grows meanwhile is not cut short, and
        // one that grows past the limit is still caught.
        var bytes = [UInt8](repeating: 0, count: min(Int(status.st_size), limit) + 1)
        var filled = 0
        while filled <= limit {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - filled))) }
            let got = PosixIO.read(fd, into: &bytes, at: filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw PipeError("io.read", "cannot read \(path): \(systemErrorText(errno))")
            }
            if got == 0 { break }
            filled += got
        }
        if filled > limit { throw PipeError("io.too_large", "\(path) is larger than \(limit) bytes") }
        bytes.removeSubrange(filled...)
        return bytes
    }
}

/// What a path is, as `lstat` sees it: links are not followed.
public enum FileKind: Sendable, Equatable {
    case regular
    case directory
    case symbolicLink
    case fifo
    case socket
    case characterDevice
    case blockDevice
    case missing

    /// The kind of `path` itself (a link is a link, whatever it points to).
    public static func of(_ path: String) -> FileKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        return kind(status.st_mode)
    }

    /// The kind of what `path` names after following links.
    public static func following(_ path: String) -> FileKind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        return kind(status.st_mode)
    }

    private static func kind(_ mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .missing
        }
    }

    /// A word for messages: "a FIFO", "a socket".
    public var phrase: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a folder"
        case .symbolicLink: return "a symbolic link"
        case .fifo: return "a FIFO"
        case .socket: return "a socket"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .missing: return "missing"
        }
    }
}

import StageKit
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The one-writer-at-a-time lock of a workspace, held by `pipe build` and `pipe finalize`.
///
/// An advisory `flock` on `<workspace>/lock`: the kernel releases it when the holder dies, so a
/// crashed build never leaves a stale lock behind. The holder writes its process id into the file
/// so a second writer can name it.
public final class WorkspaceLock {
    private var descriptor: Int32

    /// Takes the lock, failing at once when another process holds it, or waiting when `wait` is set.
    public init(workspace: Workspace, command: String, wait: Bool) throws {
        try workspace.create()
        let fd = open(workspace.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PipeError("lock.open", "cannot open \(workspace.lockPath): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(fd: fd)
            guard wait else {
                close(fd)
                throw PipeError(
                    "lock.held",
                    "workspace \(workspace.root) is locked by \(holder); rerun with --wait to wait for it",
                    at: SourceLocation(file: workspace.lockPath))
            }
            FileHandleOutput.standardError("waiting for the workspace lock held by \(holder)\n")
            guard flock(fd, LOCK_EX) == 0 else {
                close(fd)
                throw PipeError("lock.wait", "cannot wait for the workspace lock: \(String(cString: strerror(errno)))")
            }
        }
        let info = Array("pid \(getpid()) (\(command))\n".utf8)
        _ = ftruncate(fd, 0)
        _ = info.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    private static func holder(fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return "another process" }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return "process " + (text.hasPrefix("pid ") ? String(text.dropFirst(4)) : text)
    }

    /// Releases the lock; also done when the process exits.
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Unbuffered writes to the standard streams, safe to call from any thread.
public enum FileHandleOutput {
    /// Writes text to stderr.
    public static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }

    /// Writes text to stdout.
    public static func standardOutput(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = write(1, buffer.baseAddress, buffer.count) }
    }
}

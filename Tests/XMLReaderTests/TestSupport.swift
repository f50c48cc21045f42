import Foundation
import XCTest
import XMLReader
#if canImport(Glibc)
import Glibc
#endif

func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Parses and returns the thrown XMLReadError, failing the test when parsing succeeds or throws something else.
func parseError(
    _ text: String,
    limits: XMLLimits = .default,
    file: StaticString = #filePath,
    line: UInt = #line
) -> XMLReadError? {
    do {
        let root = try XMLReader.parse(bytes: utf8(text), limits: limits, name: "test.xml")
        XCTFail("expected an error, got root <\(root.name)>", file: file, line: line)
    } catch let error as XMLReadError {
        return error
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
    return nil
}

/// A fresh private directory under /tmp, removed when the test ends.
final class TempDir {
    let path: String

    init() throws {
        var template = Array("/tmp/xmlreader-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } })
        else {
            throw POSIXError(.EIO)
        }
        path = String(cString: made)
    }

    func file(_ name: String, contents: String) throws -> String {
        let full = path + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func fifo(_ name: String) throws -> String {
        let full = path + "/" + name
        guard mkfifo(full, 0o600) == 0 else { throw POSIXError(.EIO) }
        return full
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Watches files with Linux inotify for open and read events, the kernel's own record of whether anyone opened them.
final class OpenWatcher {
    private let fd: Int32

    init(paths: [String]) throws {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw POSIXError(.EIO) }
        for path in paths {
            guard inotify_add_watch(fd, path, UInt32(IN_OPEN | IN_ACCESS)) >= 0 else {
                close(fd)
                throw POSIXError(.EIO)
            }
        }
    }

    /// Drains pending events and returns their masks; an empty array means nothing opened or read the files.
    func drain() -> [UInt32] {
        var masks: [UInt32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return masks }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
                while offset + 16 <= count {
                    masks.append(raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                    let nameLength = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    offset += 16 + nameLength
                }
            }
        }
    }

    /// Opens `path` ourselves and checks the watcher notices, so "no events" above is meaningful.
    func assertWatcherSeesOpen(of path: String, file: StaticString = #filePath, line: UInt = #line) {
        let probe = open(path, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(probe, 0, "control open failed", file: file, line: line)
        if probe >= 0 { close(probe) }
        XCTAssertTrue(
            drain().contains { $0 & UInt32(IN_OPEN) != 0 },
            "inotify did not report the control open; the watcher is not working",
            file: file,
            line: line
        )
    }

    deinit { close(fd) }
}

/// Thread-safe slot for a result produced on another thread.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Runs `body` on its own thread and gives up after `seconds`, so an open() that would block forever fails the test
/// instead of hanging it (the stuck thread is abandoned).
func runWithTimeout<T: Sendable>(
    seconds: Double,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: @escaping @Sendable () -> T
) -> T? {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = body()
        done.signal()
    }
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else {
        XCTFail("did not finish within \(seconds) s (blocked on a file?)", file: file, line: line)
        return nil
    }
    return box.value
}

/// The outcome of a parse as a Sendable value, for passing between threads.
enum Outcome: Sendable, Equatable {
    case root(XMLElement)
    case failure(XMLReadError)
    case other(String)

    var error: XMLReadError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

func outcome(_ parse: () throws -> XMLElement) -> Outcome {
    do {
        return .root(try parse())
    } catch let error as XMLReadError {
        return .failure(error)
    } catch {
        return .other(String(describing: error))
    }
}

/// Runs `body` with file descriptor 2 pointed at a pipe and returns what was written to it.
func capturingStderr(_ body: () -> Void) -> String {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return "<pipe failed>" }
    fflush(nil)
    let saved = dup(2)
    dup2(ends[1], 2)
    body()
    fflush(nil)
    dup2(saved, 2)
    close(saved)
    close(ends[1])
    var captured: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        guard count > 0 else { break }
        captured.append(contentsOf: chunk[0..<count])
    }
    close(ends[0])
    return String(decoding: captured, as: UTF8.self)
}

/// Peak resident set size of this process in KiB.
func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss
}

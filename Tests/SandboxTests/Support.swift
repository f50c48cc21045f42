import Foundation
import XCTest
@testable import Sandbox

/// A temp directory outside any sandbox work dir, readable by the sandbox uid, deleted on deinit.
final class Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipe-sandbox-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Compiles C source with the system compiler; the binary is world-executable so uid 65534 can run it.
    func compile(_ source: String, name: String) throws -> String {
        let sourcePath = "\(path)/\(name).c"
        let binary = "\(path)/\(name)"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        cc.arguments = ["-O1", "-w", "-o", binary, sourcePath]
        let errors = Pipe()
        cc.standardError = errors
        try cc.run()
        let diagnostics = errors.fileHandleForReading.readDataToEndOfFile()
        cc.waitUntilExit()
        guard cc.terminationStatus == 0 else {
            throw NSError(domain: "cc", code: Int(cc.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: String(decoding: diagnostics, as: UTF8.self),
            ])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
        return binary
    }
}

/// Processes still alive whose argv[0] is `binary`, or that run as `uid` and were not in `baseline`. A process whose
/// working folder is the work folder of another sandbox run than `run` belongs to a concurrent run (another test
/// process on this machine uses the same unprivileged uid), so it is not this run's survivor.
func survivors(of binary: String, uid: UInt32 = SandboxUser.nobody.uid, baseline: Set<Int> = [],
               run workDirectory: String? = nil) -> [Int] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [Int] = []
    for entry in entries {
        guard let pid = Int(entry), pid != Int(ProcessInfo.processInfo.processIdentifier) else { continue }
        let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") ?? Data()
        let argv0 = String(decoding: cmdline.prefix { $0 != 0 }, as: UTF8.self)
        if argv0 == binary {
            found.append(pid)
            continue
        }
        if let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
           line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first == Substring(String(uid)),
           !baseline.contains(pid), !belongsToAnotherRun(pid: entry, than: workDirectory) {
            found.append(pid)
        }
    }
    return found
}

/// Whether the process's working folder is a sandbox work folder other than `workDirectory`.
private func belongsToAnotherRun(pid: String, than workDirectory: String?) -> Bool {
    guard let workDirectory else { return false }
    // A process of another run that exits while it is looked at has no working folder left to read.
    guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else {
        return !FileManager.default.fileExists(atPath: "/proc/\(pid)/status")
    }
    guard cwd.contains("/pipe-sandbox-") else { return false }
    return !cwd.hasPrefix(workDirectory)
}

/// Processes of `uid` right now, to ignore ones that predate a test.
func processes(ofUID uid: UInt32 = SandboxUser.nobody.uid) -> Set<Int> {
    Set(survivors(of: "\u{0}never", uid: uid))
}

extension SandboxResult {
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Limits for a test: short, so a regression shows up as a failure rather than a hang.
func testLimits(wall: Double = 3, cpu: Int = 2, memory: Int = 256 << 20, processes: Int = 32,
                output: Int = 1 << 20, fileSize: Int = 8 << 20) -> SandboxLimits {
    SandboxLimits(wallSeconds: wall, cpuSeconds: cpu, addressSpaceBytes: memory, fileSizeBytes: fileSize,
                  processes: processes, openFiles: 64, outputBytes: output)
}

/// Prints what happened, so the test log documents each mechanism's behaviour on this machine.
func log(_ label: String, _ result: SandboxResult) {
    let wall = (result.wallSeconds * 100).rounded() / 100
    let cpu = (result.cpuSeconds * 100).rounded() / 100
    print("[sandbox] \(label): \(result.termination) in \(wall) s wall, \(cpu) s CPU, RSS \(result.maxRSSBytes >> 20) MiB (pre-exec \(result.rssBaselineBytes >> 20) MiB) — \(result.reason)")
}

/// Asserts that nothing of the run survived, both by the sandbox's own check and by scanning /proc.
func assertNothingSurvives(_ result: SandboxResult, binary: String, baseline: Set<Int>,
                           file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result.leftoverProcesses, 0, "sandbox found leftovers", file: file, line: line)
    let left = survivors(of: binary, baseline: baseline, run: result.workDirectory)
    // Named, so that a process of a concurrent run (same uid, another mount namespace) can be told from a survivor.
    let named = left.map { pid in
        let argv = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0.prefix(120), as: UTF8.self) }
        return "\(pid) \((argv ?? "?").replacingOccurrences(of: "\u{0}", with: " "))"
    }
    XCTAssertEqual(named, [], "processes of the run survived", file: file, line: line)
    XCTAssertTrue(result.workDirectoryRemoved, file: file, line: line)
    XCTAssertFalse(FileManager.default.fileExists(atPath: result.workDirectory), file: file, line: line)
}

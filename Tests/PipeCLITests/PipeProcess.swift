import Foundation
import XCTest

/// Runs the built `pipe` binary the way a user would, in a scratch folder.
struct PipeProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `pipe` executable next to the test bundle (or `PIPE_BINARY`).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PIPE_BINARY"] { return path }
        var directory = URL(fileURLWithPath: Bundle.main.bundlePath)
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("pipe").path
    }

    /// The repository root, found from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs pipe; with `timeout` (seconds) it is killed when it runs longer, and the result has status 124
    /// (what `timeout` returns), so a hang fails the test instead of stopping the suite.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                    timeout: Int? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: timeout == nil ? binary : "/usr/bin/timeout")
        // Every build and finalize in the tests checks each emitted record against its stream's schema.
        var arguments = arguments
        if let command = arguments.first, ["build", "finalize"].contains(command), !arguments.contains("--check-records") {
            arguments.insert("--check-records", at: 1)
        }
        if let timeout { arguments = ["-s", "KILL", String(timeout), binary] + arguments }
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = "1767225600"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes on their own threads so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A throwaway project folder with a pipeline and data, removed after the test.
final class Scratch {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ text: String, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Copies the project's demo pipeline and data in, so tests run on exactly what `make run` runs.
    func copyDemo(tasks: Int? = nil) throws {
        let source = PipeProcess.repositoryRoot
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data"), to: root.appendingPathComponent("Data"))
        var pipeline = try String(contentsOf: source.appendingPathComponent("Pipelines/demo.yaml"), encoding: .utf8)
        if let tasks { pipeline = pipeline.replacingOccurrences(of: "tasks: 8", with: "tasks: \(tasks)") }
        try write(pipeline, to: "Pipelines/demo.yaml")
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Every regular file below `path`, relative, sorted, with its bytes.
    func files(under path: String) throws -> [String: Data] {
        let base = url(path)
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        else { return result }
        for case let file as URL in enumerator {
            guard (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let relative = String(file.path.dropFirst(base.path.count))
            result[relative] = try Data(contentsOf: file)
        }
        return result
    }

    /// Runs gzip or zstd on a file the test wrote.
    func compress(_ path: String, with tool: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = tool == "gzip" ? ["gzip", "-n", "-f", url(path).path] : ["zstd", "-q", "--rm", "-f", url(path).path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) failed")
    }
}

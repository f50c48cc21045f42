import Foundation
import XCTest

/// Inputs an attacker (or an odd file system) hands pipe: links out of the tree, special files, names that are
/// not UTF-8. Each becomes a reject with its own code, nothing outside the input is read, and the build goes on.
final class HostileInputTests: XCTestCase {
    private let marker = "SECRET-OUTSIDE-THE-TREE"

    private func project() throws -> Scratch {
        let scratch = try Scratch()
        // A source file the corpus filters keep, so there is something to mine besides the hostile entries.
        let code = "#include <omp.h>\n" + (0..<40).map { "int value\($0) = \($0) * 2 + compute(\($0), \($0 + 1));" }
            .joined(separator: "\n") + "\n"
        try scratch.write(code, to: "Data/repo/src/good.c")
        try scratch.write("int leaked = 1; // \(marker)\n" + code, to: "outside/secret.c")
        try scratch.write(#"{"id": "x", "text": "\#(marker)"}"# + "\n", to: "outside/secret.jsonl")
        let src = scratch.url("Data/repo/src").path
        XCTAssertEqual(symlink(scratch.url("outside/secret.c").path, src + "/link.c"), 0)
        XCTAssertEqual(symlink(scratch.url("outside").path, src + "/linked-folder"), 0)
        XCTAssertEqual(mkfifo(src + "/fifo.c", 0o600), 0)
        XCTAssertEqual(mkfifo(scratch.url("Data/pipe.jsonl").path, 0o600), 0)
        XCTAssertTrue(makeSocket(src + "/socket.c"))
        // A name with bytes that are not UTF-8, made through the raw bytes.
        var raw = Array((src + "/bad").utf8) + [0xFF, 0xFE] + Array("name.c".utf8) + [0]
        let fd = raw.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { open(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) } ?? -1
        }
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        XCTAssertEqual(symlink(scratch.url("outside/secret.jsonl").path, scratch.url("Data/linked.jsonl").path), 0)
        try scratch.write("""
            pipeline: hostile
            stages:
              mine:
                kind: corpus.mine
                inputs: ["../Data/repo"]
                tasks: 3
                params: {min_whitespace_tokens: 10}
              imp:
                kind: records.import
                inputs: ["../Data/*.jsonl", "/dev/zero"]
                tasks: 2
                params: {schema: demo-record}
            """, to: "Pipelines/hostile.yaml")
        return scratch
    }

    private func makeSocket(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return bound == 0
    }

    /// The reject records of a stage's latest run.
    private func rejects(_ scratch: Scratch, stage: String) throws -> [[String: Any]] {
        var found: [[String: Any]] = []
        for (path, data) in try scratch.files(under: "pipe-work/runs/\(stage)") where path.contains("/rejects/") {
            let text = try zstdDecompress(data)
            for line in text.split(separator: "\n") {
                if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { found.append(object) }
            }
        }
        return found
    }

    private func zstdDecompress(_ data: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zstd", "-dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }

    func testLinksSpecialFilesAndBadNamesAreRejectsAndNothingOutsideIsRead() throws {
        let scratch = try project()
        // Planning (status) and building must both finish: a FIFO opened for reading would block forever.
        let status = try PipeProcess.run(["status"], in: scratch.root, timeout: 60)
        XCTAssertEqual(status.status, 0, status.stderr)
        let build = try PipeProcess.run(["build", "all"], in: scratch.root, timeout: 120)
        XCTAssertEqual(build.status, 0, build.stderr)

        let mined = Dictionary(grouping: try rejects(scratch, stage: "mine"), by: { $0["locator"] as? String ?? "" })
        func reject(_ locator: String) -> (String?, String?) {
            let first = mined["../Data/repo/" + locator]?.first
            return (first?["code"] as? String, first?["class"] as? String)
        }
        XCTAssertEqual(reject("src/link.c").0, "input.link")
        XCTAssertEqual(reject("src/linked-folder").0, "input.link")
        XCTAssertEqual(reject("src/link.c").1, "dropped")
        XCTAssertEqual(reject("src/fifo.c").0, "input.not_regular")
        XCTAssertEqual(reject("src/fifo.c").1, "dropped")
        XCTAssertEqual(reject("src/socket.c").0, "input.not_regular")
        XCTAssertEqual(reject("src/bad%FF%FEname.c").0, "input.name_encoding")
        XCTAssertTrue((mined["../Data/repo/src/fifo.c"]?.first?["reason"] as? String)?.contains("a FIFO") == true)

        let imported = Dictionary(grouping: try rejects(scratch, stage: "imp"), by: { $0["locator"] as? String ?? "" })
        XCTAssertEqual(imported["../Data/pipe.jsonl"]?.first?["code"] as? String, "input.not_regular")
        XCTAssertEqual(imported["/dev/zero"]?.first?["code"] as? String, "input.not_regular")
        XCTAssertEqual(imported["/dev/zero"]?.first?["class"] as? String, "error", "an input named by the user is an error")
        XCTAssertEqual(imported["../Data/linked.jsonl"]?.first?["code"] as? String, "input.link",
                       "a link a wildcard matched is not followed")

        // The one real source file was mined; nothing from outside the tree is anywhere in the workspace.
        let workspace = try scratch.files(under: "pipe-work")
        var seen = false
        for (path, data) in workspace where path.contains("/files/part-") && !path.contains(".keys.") {
            let text = try zstdDecompress(data)
            XCTAssertTrue(text.contains("good.c"))
            XCTAssertFalse(text.contains(marker), path)
            seen = true
        }
        XCTAssertTrue(seen)
    }
}

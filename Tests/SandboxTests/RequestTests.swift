import Foundation
import XCTest
@testable import Sandbox

/// The ordinary path: inputs in, outputs out, setup errors thrown, the real compile-then-run flow.
final class RequestTests: XCTestCase {
    let capabilities = SandboxCapabilities.detect()
    var scratch: Scratch!

    override func setUpWithError() throws {
        scratch = try Scratch()
    }

    override func tearDown() {
        scratch = nil
    }

    func testCapabilitiesMatchWhatARunReports() throws {
        print("[sandbox] capabilities of this machine:\n\(capabilities)")
        let result = try Sandbox().run(SandboxRequest(executable: "/bin/true", limits: testLimits()))
        XCTAssertEqual(result.termination, .exited(0), result.reason)
        XCTAssertEqual(result.isolation.contains(.landlock), capabilities.landlockABI > 0)
        XCTAssertEqual(result.landlockABI, min(capabilities.landlockABI, 7))
        XCTAssertEqual(result.isolation.contains(.networkNamespace), capabilities.networkNamespace)
        XCTAssertEqual(result.isolation.contains(.pidNamespace), capabilities.pidNamespace)
        XCTAssertTrue(result.isolation.contains(.unprivilegedUser))
        if result.isolation == .all {
            XCTAssertEqual(result.warnings, [])
        } else {
            XCTAssertFalse(result.warnings.isEmpty, "missing isolation must be stated")
        }
        print("[sandbox] a default run held \(result.isolation), Landlock ABI \(result.landlockABI)")
    }

    func testStdinEnvironmentFilesAndCollection() throws {
        let binary = try scratch.compile("""
            #include <stdio.h>
            #include <unistd.h>
            extern char **environ;
            int main(void) {
                char buf[256], cwd[4096];
                size_t n = fread(buf, 1, sizeof buf, stdin);
                printf("stdin=%.*s\\n", (int)n, buf);
                for (char **e = environ; *e; e++) printf("env %s\\n", *e);
                FILE *in = fopen("input/data.txt", "r");
                n = in ? fread(buf, 1, sizeof buf, in) : 0;
                printf("file=%.*s\\n", (int)n, buf);
                printf("script=%s\\n", access("run.sh", X_OK) == 0 ? "executable" : "not executable");
                FILE *out = fopen("out.txt", "w");
                fputs("result", out);
                fclose(out);
                printf("cwd=%s\\n", getcwd(cwd, sizeof cwd));
                printf("uid=%d\\n", (int)getuid());
                return 0;
            }
            """, name: "plumbing")
        let request = SandboxRequest(
            executable: binary,
            stdin: Array("piped in".utf8),
            files: ["input/data.txt": Array("placed".utf8), "run.sh": Array("#!/bin/sh\n".utf8)],
            executableFiles: ["run.sh"],
            collect: ["out.txt", "missing.txt"],
            limits: testLimits())
        let result = try Sandbox().run(request)
        XCTAssertEqual(result.termination, .exited(0), result.reason + result.stderrText)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        let cwd = result.workDirectory
        XCTAssertTrue(lines.contains("stdin=piped in"), "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("env ") }.sorted(),
                       ["env HOME=\(cwd)", "env LANG=C", "env PATH=/usr/bin:/bin", "env TMPDIR=\(cwd)"])
        XCTAssertTrue(lines.contains("file=placed"), "\(lines)")
        XCTAssertTrue(lines.contains("script=executable"), "\(lines)")
        XCTAssertTrue(lines.contains("cwd=\(cwd)"), "\(lines)")
        if capabilities.dropsPrivileges {
            XCTAssertTrue(lines.contains("uid=65534"), "\(lines)")
        }
        XCTAssertEqual(result.collectedFiles, ["out.txt": Array("result".utf8)])
        XCTAssertTrue(result.workDirectoryRemoved)
    }

    /// The real use: compile untrusted source inside the sandbox, then run the binary in another one.
    func testCompileThenRunInsideSandboxes() throws {
        let source = """
            #include <stdio.h>
            int main(void) { float a[4] = {1, 2, 3, 4}, s = 0; for (int i = 0; i < 4; i++) s += a[i]; printf("%g\\n", s); return 0; }
            """
        let compile = try Sandbox().run(SandboxRequest(
            executable: "cc", arguments: ["-O2", "-o", "kernel", "kernel.c"],
            files: ["kernel.c": Array(source.utf8)], collect: ["kernel"],
            limits: testLimits(wall: 5, cpu: 5, memory: 1 << 30)))
        XCTAssertEqual(compile.termination, .exited(0), compile.reason + compile.stderrText)
        let binary = try XCTUnwrap(compile.collectedFiles["kernel"], compile.stderrText)

        let run = try Sandbox().run(SandboxRequest(
            executable: "./kernel", files: ["kernel": binary], executableFiles: ["kernel"], limits: testLimits()))
        XCTAssertEqual(run.termination, .exited(0), run.reason + run.stderrText)
        XCTAssertEqual(run.stdoutText, "10\n")
    }

    func testFileSizeLimit() throws {
        let binary = try scratch.compile("""
            #include <stdio.h>
            #include <string.h>
            int main(void) {
                static char buf[65536];
                memset(buf, 'z', sizeof buf);
                FILE *f = fopen("big.bin", "w");
                for (int i = 0; i < 64; i++) fwrite(buf, 1, sizeof buf, f);
                fclose(f);
                return 0;
            }
            """, name: "bigfile")
        let result = try Sandbox().run(SandboxRequest(executable: binary, limits: testLimits(fileSize: 1 << 20)))
        XCTAssertEqual(result.termination, .fileSizeLimit, result.reason)
    }

    func testSignalDeathIsReportedAsSuch() throws {
        // The program is not PID 1 of its namespace, so default-action signals it sends itself still kill it.
        let binary = try scratch.compile("""
            #include <signal.h>
            #include <unistd.h>
            int main(void) { kill(getpid(), SIGUSR2); pause(); return 0; }
            """, name: "selfsignal")
        let result = try Sandbox().run(SandboxRequest(executable: binary, limits: testLimits()))
        XCTAssertEqual(result.termination, .signaled(SIGUSR2), result.reason)
        XCTAssertEqual(result.reason, "killed by SIGUSR2")
    }

    func testSetupFailuresThrow() throws {
        XCTAssertThrowsError(try Sandbox().run(SandboxRequest(executable: "/nonexistent/program", limits: testLimits()))) {
            XCTAssertEqual($0 as? SandboxError, .spawnFailed(stage: "exec", errno: ENOENT))
        }
        XCTAssertThrowsError(try Sandbox().run(SandboxRequest(executable: "/bin/true", files: ["../escape": []]))) {
            guard case .invalidRequest = $0 as? SandboxError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Sandbox().run(SandboxRequest(executable: "/bin/true", collect: ["/etc/shadow"]))) {
            guard case .invalidRequest = $0 as? SandboxError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Sandbox(baseDirectory: "/nonexistent-base").run(SandboxRequest(executable: "/bin/true"))) {
            XCTAssertEqual($0 as? SandboxError, .workDirectory(base: "/nonexistent-base", errno: ENOENT))
        }
        // A required mechanism that is not attempted is missing: the program must not start.
        let strict = Sandbox(mechanisms: [], required: [.networkNamespace])
        XCTAssertThrowsError(try strict.run(SandboxRequest(executable: "/bin/true", limits: testLimits()))) {
            guard case .isolationUnavailable(let missing, _) = $0 as? SandboxError else { return XCTFail("\($0)") }
            XCTAssertEqual(missing, .networkNamespace)
        }
    }

    func testConcurrentRunsDoNotInterfere() throws {
        let binary = try scratch.compile("""
            #include <stdio.h>
            #include <unistd.h>
            int main(int argc, char **argv) { usleep(200000); printf("%s\\n", argv[1]); return argc; }
            """, name: "echoer")
        let results = ResultBox(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            results.set(index, Result {
                try Sandbox().run(SandboxRequest(executable: binary, arguments: ["run\(index)"], limits: testLimits()))
            })
        }
        for index in 0..<4 {
            let result = try XCTUnwrap(results.get(index)).get()
            XCTAssertEqual(result.termination, .exited(2), result.reason)
            XCTAssertEqual(result.stdoutText, "run\(index)\n")
            XCTAssertLessThan(result.wallSeconds, 2)
        }
    }

    func testClassificationRules() {
        let limits = testLimits(cpu: 2, memory: 100 << 20)
        var outcome = Native.Outcome()
        outcome.haveStatus = true
        outcome.termSignal = SIGKILL
        outcome.cpuSeconds = 2.5
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .cpuLimit)
        outcome.cpuSeconds = 0.1
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .signaled(SIGKILL))
        outcome.termSignal = SIGSEGV
        outcome.maxRSSBytes = 10 << 20
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .signaled(SIGSEGV))
        XCTAssertTrue(Sandbox.classify(outcome, limits: limits).1.contains("address-space limit"))
        outcome.maxRSSBytes = 90 << 20
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .memoryLimit)
        outcome.rssBaselineBytes = 95 << 20  // the peak is the caller's inherited image, not the program's
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .signaled(SIGSEGV))
        outcome.rssBaselineBytes = 0
        outcome.timedOut = true
        outcome.termSignal = SIGKILL
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .timedOut)
        outcome = Native.Outcome()
        outcome.timedOut = true
        outcome.haveStatus = true
        outcome.exited = true
        XCTAssertEqual(Sandbox.classify(outcome, limits: limits).0, .exited(0), "exit that raced the deadline wins")
    }
}

/// Collects results from concurrent runs.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<SandboxResult, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<SandboxResult, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
    }

    func get(_ index: Int) -> Result<SandboxResult, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}

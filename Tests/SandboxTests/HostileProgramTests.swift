import Foundation
import XCTest
@testable import Sandbox

/// Each test compiles a hostile C program outside the sandbox, runs it inside, and checks
/// the classification, the time taken, and that no process of it survives.
final class HostileProgramTests: XCTestCase {
    let capabilities = SandboxCapabilities.detect()
    var scratch: Scratch!
    var baseline: Set<Int> = []

    override func setUpWithError() throws {
        scratch = try Scratch()
        baseline = processes()
    }

    override func tearDown() {
        scratch = nil
    }

    private func run(_ binary: String, _ arguments: [String] = [], limits: SandboxLimits,
                     sandbox: Sandbox = Sandbox(), collect: [String] = []) throws -> SandboxResult {
        try sandbox.run(SandboxRequest(executable: binary, arguments: arguments, collect: collect, limits: limits))
    }

    // 1. Infinite loop: the CPU limit and the wall clock each end it.
    func testInfiniteLoopHitsCPULimit() throws {
        let binary = try scratch.compile("int main(void) { volatile unsigned long x = 0; for (;;) x++; }", name: "spin")
        let result = try run(binary, limits: testLimits(wall: 3, cpu: 1))
        log("infinite loop, cpu 1 s", result)
        XCTAssertEqual(result.termination, .cpuLimit, result.reason)
        XCTAssertGreaterThanOrEqual(result.cpuSeconds, 0.9)
        XCTAssertLessThan(result.wallSeconds, 3.5)
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }

    func testInfiniteLoopHitsWallClock() throws {
        let binary = try scratch.compile("int main(void) { volatile unsigned long x = 0; for (;;) x++; }", name: "spin")
        let result = try run(binary, limits: testLimits(wall: 1, cpu: 30))
        log("infinite loop, wall 1 s", result)
        XCTAssertEqual(result.termination, .timedOut, result.reason)
        XCTAssertGreaterThanOrEqual(result.wallSeconds, 1)
        XCTAssertLessThan(result.wallSeconds, 2.5)
        XCTAssertGreaterThan(result.cpuSeconds, 0.3, "rusage of the killed program is still reported")
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }

    // 2. Fork bomb: RLIMIT_NPROC caps it, the wall clock ends it, nothing survives.
    func testForkBombIsContained() throws {
        try XCTSkipUnless(capabilities.dropsPrivileges, "RLIMIT_NPROC only binds a non-root uid")
        let counting = try scratch.compile("""
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
                int n = 0;
                for (int i = 0; i < 1000; i++) {
                    pid_t p = fork();
                    if (p == 0) { for (;;) pause(); }
                    if (p < 0) break;
                    n++;
                }
                printf("forked %d\\n", n);
                fflush(stdout);
                for (;;) pause();
            }
            """, name: "forkcount")
        let counted = try run(counting, limits: testLimits(wall: 1.5, processes: 16))
        log("counting fork bomb (\(counted.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))", counted)
        XCTAssertEqual(counted.termination, .timedOut, counted.reason)
        let forked = Int(counted.stdoutText.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        XCTAssertGreaterThan(forked, 0, counted.stdoutText)
        XCTAssertLessThan(forked, 16, "RLIMIT_NPROC=16 counts the program itself")
        assertNothingSurvives(counted, binary: counting, baseline: baseline)

        let bomb = try scratch.compile("#include <unistd.h>\nint main(void) { for (;;) fork(); }", name: "forkbomb")
        let result = try run(bomb, limits: testLimits(wall: 1.5, cpu: 1, processes: 32))
        log("fork bomb", result)
        XCTAssertTrue([.timedOut, .cpuLimit].contains(result.termination), result.reason)
        XCTAssertLessThan(result.wallSeconds, 4)
        assertNothingSurvives(result, binary: bomb, baseline: baseline)
    }

    // 3. Unbounded allocation: RLIMIT_AS stops it inside the program, reported as memoryLimit.
    func testUnboundedAllocationHitsMemoryLimit() throws {
        let checked = try scratch.compile("""
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(void) {
                size_t total = 0;
                for (;;) {
                    char *p = malloc(1 << 20);
                    if (!p) { fprintf(stderr, "malloc failed after %zu MiB\\n", total >> 20); abort(); }
                    memset(p, 1, 1 << 20);
                    total += 1 << 20;
                }
            }
            """, name: "hog")
        let unchecked = try scratch.compile("""
            #include <stdlib.h>
            #include <string.h>
            int main(void) { for (;;) memset(malloc(1 << 20), 1, 1 << 20); }
            """, name: "hog-unchecked")
        let limit = 256 << 20
        for binary in [checked, unchecked] {
            let result = try run(binary, limits: testLimits(wall: 3, memory: limit))
            log("allocation loop \((binary as NSString).lastPathComponent)", result)
            XCTAssertEqual(result.termination, .memoryLimit, result.reason)
            XCTAssertLessThanOrEqual(result.maxRSSBytes, limit)
            XCTAssertGreaterThan(result.maxRSSBytes, limit / 2)
            XCTAssertLessThan(result.wallSeconds, 4)
            assertNothingSurvives(result, binary: binary, baseline: baseline)
        }
    }

    // 4. Writes outside the work dir fail; inside they work. Landlock, not just permissions, stops them.
    func testWritesAreConfinedToWorkDirectory() throws {
        let outside = NSTemporaryDirectory() + "pipe-escape-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o777])
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: outside)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let etcTarget = "/etc/pipe-escape-test"
        defer { try? FileManager.default.removeItem(atPath: etcTarget) }
        let binary = try scratch.compile("""
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/stat.h>
            static void attempt(const char *path) {
                FILE *f = fopen(path, "w");
                if (!f) { printf("%s: %s\\n", path, strerror(errno)); return; }
                fputs("x", f);
                fclose(f);
                printf("%s: written\\n", path);
            }
            int main(int argc, char **argv) {
                attempt(argv[1]);
                attempt(argv[2]);
                attempt("inside.txt");
                mkdir("sub", 0700);
                attempt("sub/deep.txt");
                attempt("/dev/null");
                return 0;
            }
            """, name: "writer")
        let escape = outside + "/escape.txt"
        let arguments = [escape, etcTarget]

        let confined = try run(binary, arguments, limits: testLimits(), collect: ["inside.txt", "sub/deep.txt"])
        let lines = confined.stdoutText
        XCTAssertEqual(confined.termination, .exited(0), confined.reason)
        XCTAssertTrue(lines.contains("\(escape): Permission denied"), lines)
        XCTAssertTrue(lines.contains("\(etcTarget): Permission denied"), lines)
        XCTAssertTrue(lines.contains("inside.txt: written"), lines)
        XCTAssertTrue(lines.contains("sub/deep.txt: written"), lines)
        XCTAssertTrue(lines.contains("/dev/null: written"), lines)
        XCTAssertEqual(confined.collectedFiles["inside.txt"], Array("x".utf8))
        XCTAssertEqual(confined.collectedFiles["sub/deep.txt"], Array("x".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: escape))
        XCTAssertFalse(FileManager.default.fileExists(atPath: etcTarget))
        assertNothingSurvives(confined, binary: binary, baseline: baseline)

        guard capabilities.landlockABI > 0 else {
            print("[sandbox] Landlock unavailable: the world-writable escape was stopped by permissions only")
            return
        }
        XCTAssertTrue(confined.isolation.contains(.landlock))
        print("[sandbox] writes confined by Landlock ABI \(confined.landlockABI) + uid drop: \(confined.isolation)")

        // Same program without Landlock: the uid drop alone lets it write the world-writable dir,
        // which shows Landlock is what stopped it above.
        let permissionsOnly = Sandbox(mechanisms: SandboxIsolation.all.subtracting(.landlock))
        let loose = try run(binary, arguments, limits: testLimits(), sandbox: permissionsOnly)
        XCTAssertTrue(loose.stdoutText.contains("\(escape): written"), loose.stdoutText)
        XCTAssertFalse(loose.isolation.contains(.landlock), "a mechanism that was not used is not claimed")
        try? FileManager.default.removeItem(atPath: escape)
        if capabilities.dropsPrivileges {
            XCTAssertTrue(loose.stdoutText.contains("\(etcTarget): Permission denied"), loose.stdoutText)

            // And Landlock alone holds even for a program left running as root.
            let landlockOnly = Sandbox(mechanisms: SandboxIsolation.all.subtracting(.unprivilegedUser),
                                       required: [.landlock])
            let rootResult = try run(binary, arguments, limits: testLimits(), sandbox: landlockOnly)
            XCTAssertTrue(rootResult.stdoutText.contains("\(etcTarget): Permission denied"), rootResult.stdoutText)
            XCTAssertTrue(rootResult.stdoutText.contains("\(escape): Permission denied"), rootResult.stdoutText)
            XCTAssertFalse(FileManager.default.fileExists(atPath: etcTarget))
            XCTAssertTrue(rootResult.warnings.contains { $0.contains("runs as root") }, "\(rootResult.warnings)")
        }
    }

    // 5. No network: a TCP connect to a listener on 127.0.0.1 fails; each mechanism holds on its own.
    func testNoNetwork() throws {
        let listenerBinary = try scratch.compile("""
            #include <arpa/inet.h>
            #include <netinet/in.h>
            #include <stdio.h>
            #include <sys/socket.h>
            #include <unistd.h>
            int main(void) {
                int s = socket(AF_INET, SOCK_STREAM, 0);
                struct sockaddr_in a = {0};
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return 1;
                socklen_t len = sizeof a;
                getsockname(s, (struct sockaddr *)&a, &len);
                printf("%d\\n", ntohs(a.sin_port));
                fflush(stdout);
                for (int n = 1;; n++) {
                    int c = accept(s, 0, 0);
                    if (c < 0) continue;
                    printf("accepted %d\\n", n);
                    fflush(stdout);
                    close(c);
                }
            }
            """, name: "listener")
        let client = try scratch.compile("""
            #include <arpa/inet.h>
            #include <errno.h>
            #include <netinet/in.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/socket.h>
            int main(int argc, char **argv) {
                int s = socket(AF_INET, SOCK_STREAM, 0);
                if (s < 0) { printf("socket: %s\\n", strerror(errno)); return 2; }
                struct sockaddr_in a = {0};
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                a.sin_port = htons((unsigned short)atoi(argv[1]));
                if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) { printf("connected\\n"); return 0; }
                printf("connect: %s\\n", strerror(errno));
                return 1;
            }
            """, name: "client")

        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: listenerBinary)
        let output = Pipe()
        listener.standardOutput = output
        try listener.run()
        defer {
            listener.terminate()
            listener.waitUntilExit()
        }
        let portLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines)), portLine)

        var variants: [(String, Sandbox)] = [("default", Sandbox())]
        variants.append(("network namespace only", Sandbox(mechanisms: SandboxIsolation.all.subtracting(.landlock))))
        if capabilities.landlockABI >= 4 {
            variants.append(("Landlock only", Sandbox(mechanisms: SandboxIsolation.all.subtracting(.networkNamespace))))
        }
        for (label, sandbox) in variants {
            let result = try run(client, [String(port)], limits: testLimits(), sandbox: sandbox)
            XCTAssertEqual(result.termination, .exited(1), "\(label): \(result.reason) \(result.stdoutText)")
            let text = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            let mechanism = text.contains("Permission denied") ? "Landlock (EACCES)"
                : text.contains("unreachable") ? "network namespace (ENETUNREACH)" : "unknown: \(text)"
            print("[sandbox] \(label): \(text) → held by \(mechanism); isolation \(result.isolation)")
            assertNothingSurvives(result, binary: client, baseline: baseline)
        }

        // The listener is reachable when the network is allowed, so the failures above are the sandbox's doing.
        let open = try Sandbox().run(SandboxRequest(executable: client, arguments: [String(port)],
                                                    limits: testLimits(), network: true))
        XCTAssertEqual(open.termination, .exited(0), open.stdoutText)
        listener.terminate()
        listener.waitUntilExit()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(log.split(separator: "\n").filter { $0.hasPrefix("accepted") }.count, 1, log)
    }

    // 6. Closing stdout does not end the run early nor hang it: the wall clock does.
    func testClosedStdoutAndSleepTimesOut() throws {
        let binary = try scratch.compile("""
            #include <unistd.h>
            int main(void) { close(1); close(2); for (;;) sleep(1000); }
            """, name: "sleeper")
        let result = try run(binary, limits: testLimits(wall: 1))
        log("closed stdout + sleep", result)
        XCTAssertEqual(result.termination, .timedOut, result.reason)
        XCTAssertLessThan(result.wallSeconds, 2.5)
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }

    // 7. 100 MB on stdout (and some stderr): capped capture, both pipes drained, no deadlock.
    func testFloodOfOutputIsCappedWithoutDeadlock() throws {
        let binary = try scratch.compile("""
            #include <string.h>
            #include <unistd.h>
            static char buf[65536];
            int main(void) {
                memset(buf, 'a', sizeof buf);
                for (int i = 0; i < 1600; i++) {
                    if (write(1, buf, sizeof buf) != sizeof buf) return 1;
                    if (i % 16 == 0 && write(2, buf, 4096) != 4096) return 2;
                }
                return 0;
            }
            """, name: "flood")
        let cap = 1 << 20
        let result = try run(binary, limits: testLimits(wall: 3, output: cap))
        log("100 MB flood", result)
        XCTAssertEqual(result.termination, .exited(0), result.reason)
        XCTAssertEqual(result.stdout.count, cap)
        XCTAssertTrue(result.stdoutTruncated)
        XCTAssertEqual(result.stdoutTotalBytes, 1600 * 65536)
        XCTAssertEqual(result.stderrTotalBytes, 100 * 4096)
        XCTAssertEqual(result.stderr.count, 100 * 4096)
        XCTAssertFalse(result.stderrTruncated)
        XCTAssertLessThan(result.wallSeconds, 5)
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }

    // 8. A daemon that escapes the process group with setsid() still dies with the run.
    func testSetsidDaemonDoesNotSurvive() throws {
        let binary = try scratch.compile("""
            #include <stdio.h>
            #include <stdlib.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                int p[2];
                if (pipe(p)) return 1;
                if (fork() == 0) {
                    setsid();
                    if (fork() == 0) {            /* grandchild: new session, orphaned soon */
                        write(p[1], "r", 1);
                        for (;;) pause();
                    }
                    for (;;) pause();
                }
                char b;
                if (read(p[0], &b, 1) != 1) return 2;
                printf("daemon ready\\n");
                fflush(stdout);
                if (argc > 1) for (;;) pause();  /* variant: parent stays until the wall clock */
                return 0;
            }
            """, name: "daemonizer")
        var variants: [(String, Sandbox)] = [("pid namespace", Sandbox())]
        variants.append(("subreaper fallback", Sandbox(mechanisms: SandboxIsolation.all.subtracting(.pidNamespace))))
        for (label, sandbox) in variants {
            let quick = try run(binary, limits: testLimits(wall: 3), sandbox: sandbox)
            XCTAssertEqual(quick.termination, .exited(0), "\(label): \(quick.reason)")
            XCTAssertEqual(quick.stdoutText, "daemon ready\n")
            XCTAssertLessThan(quick.wallSeconds, 2, "\(label): the run ends when the program does")
            assertNothingSurvives(quick, binary: binary, baseline: baseline)

            let stuck = try run(binary, ["stay"], limits: testLimits(wall: 1), sandbox: sandbox)
            log("setsid daemon + stuck parent (\(label))", stuck)
            XCTAssertEqual(stuck.termination, .timedOut, "\(label): \(stuck.reason)")
            XCTAssertLessThan(stuck.wallSeconds, 3)
            assertNothingSurvives(stuck, binary: binary, baseline: baseline)
            print("[sandbox] setsid daemon killed via \(label); isolation \(quick.isolation)")
        }
    }

    // 9. Ordinary exit code and output.
    func testNormalExitWithOutput() throws {
        let binary = try scratch.compile("""
            #include <stdio.h>
            int main(void) { printf("hello sandbox\\n"); fprintf(stderr, "to stderr\\n"); return 3; }
            """, name: "exit3")
        let result = try run(binary, limits: testLimits())
        XCTAssertEqual(result.termination, .exited(3), result.reason)
        XCTAssertEqual(result.stdoutText, "hello sandbox\n")
        XCTAssertEqual(result.stderrText, "to stderr\n")
        XCTAssertFalse(result.stdoutTruncated)
        XCTAssertEqual(result.reason, "exited with status 3")
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }

    // 10. The work dir is removed even with a symlink to /, chmod 000 dirs, deep nesting and a FIFO,
    // and nothing outside it is touched or collected through a link.
    func testWorkDirectoryIsAlwaysRemoved() throws {
        let sentinelDir = scratch.path + "/sentinel"
        try FileManager.default.createDirectory(atPath: sentinelDir, withIntermediateDirectories: false)
        try "keep me".write(toFile: sentinelDir + "/secret.txt", atomically: true, encoding: .utf8)
        let binary = try scratch.compile("""
            #include <limits.h>
            #include <stdio.h>
            #include <sys/stat.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                char start[PATH_MAX];
                if (!getcwd(start, sizeof start)) return 1;
                symlink("/", "rootlink");
                symlink(argv[1], "sentinel-link");
                symlink("/etc/passwd", "passwd-link");
                mkfifo("fifo", 0600);
                FILE *f = fopen("ok.txt", "w"); fputs("fine", f); fclose(f);
                mkdir("locked", 0700); mkdir("locked/inner", 0700);
                f = fopen("locked/inner/file", "w"); fputs("x", f); fclose(f);
                symlink("/", "locked/inner/up");
                chmod("locked/inner/file", 0); chmod("locked/inner", 0); chmod("locked", 0);
                for (int i = 0; i < 1000; i++) { if (mkdir("d", 0700) || chdir("d")) return 2; }
                chmod(start, 0);
                printf("%s\\n", start);
                return 0;
            }
            """, name: "litter")
        let collect = ["ok.txt", "rootlink/etc/passwd", "passwd-link", "sentinel-link/secret.txt", "fifo",
                       "locked/inner/file"]
        let result = try run(binary, [sentinelDir], limits: testLimits(), collect: collect)
        XCTAssertEqual(result.termination, .exited(0), result.reason + result.stderrText)
        XCTAssertEqual(result.stdoutText, result.workDirectory + "\n")
        XCTAssertEqual(Set(result.collectedFiles.keys), ["ok.txt", "locked/inner/file"],
                       "only regular files reached without symlinks are collected")
        XCTAssertTrue(result.workDirectoryRemoved, "\(result.warnings)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: result.workDirectory))
        let holder = (result.workDirectory as NSString).deletingLastPathComponent
        XCTAssertFalse(FileManager.default.fileExists(atPath: holder))
        XCTAssertEqual(try String(contentsOfFile: sentinelDir + "/secret.txt", encoding: .utf8), "keep me")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/etc/passwd"))
        assertNothingSurvives(result, binary: binary, baseline: baseline)
    }
}

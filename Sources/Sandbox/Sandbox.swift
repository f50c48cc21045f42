// Running untrusted programs with hard limits.
//
// What holds where (also reported per run in `SandboxResult.isolation`/`warnings`):
//
// * Limits (CPU, address space, file size, processes, descriptors, no core
//   dumps) and the wall clock hold everywhere. RLIMIT_NPROC only binds a
//   non-root uid, and it counts every process of that uid on the machine, so
//   concurrent runs as the same `SandboxUser` share the budget.
// * As root: the program drops to `SandboxUser` (default 65534), gets a fresh
//   network namespace (no interfaces up) and PID namespace (supervisor is
//   PID 1, so every descendant dies with the run, setsid daemons included).
// * As non-root: the namespaces come from a user namespace when the kernel
//   allows unprivileged ones; otherwise there is no network isolation beyond
//   Landlock's TCP rules and descendants are tracked as a child subreaper.
// * Landlock (kernel ≥ 5.13) confines writes to the work dir and /dev/null;
//   ABI ≥ 4 also denies TCP bind/connect, ABI ≥ 6 denies signals and abstract
//   unix sockets outside the run. Without it only file permissions guard
//   writes: the uid drop stops writes to root-owned paths but not to
//   world-writable ones such as /tmp.
// * Not limited: disk usage across many files (no quota), reads of
//   world-readable files, UDP when only Landlock (no netns) holds.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs programs in a child process with hard limits and the isolation this machine offers.
public struct Sandbox: Sendable {
    /// Directory under which each run's work directory is created.
    public var baseDirectory: String
    /// Identity a root caller drops to; ignored when not root.
    public var user: SandboxUser
    /// Mechanisms to attempt (default all); fewer only to reproduce a weaker machine, e.g. in tests of the fallbacks.
    public var mechanisms: SandboxIsolation
    /// Mechanisms whose absence makes `run` throw instead of running with less isolation
    /// (a request with `network: true` is exempt from `.networkNamespace`).
    public var required: SandboxIsolation

    /// `baseDirectory` defaults to $TMPDIR, else /tmp.
    public init(
        baseDirectory: String? = nil,
        user: SandboxUser = .nobody,
        mechanisms: SandboxIsolation = .all,
        required: SandboxIsolation = []
    ) {
        let tmp = Native.environmentValue("TMPDIR") ?? ""
        self.baseDirectory = baseDirectory ?? (tmp.isEmpty ? "/tmp" : tmp)
        self.user = user
        self.mechanisms = mechanisms
        self.required = required
    }

    /// Runs one program to completion; throws only when it could not be started.
    public func run(_ request: SandboxRequest) throws -> SandboxResult {
        try Self.validate(request)
        let root = Native.isRoot
        var want = mechanisms
        var needed = required
        if request.network {
            want.remove(.networkNamespace)
            needed.remove(.networkNamespace)
        }
        if !root { want.remove(.unprivilegedUser) }  // nothing to drop from
        let owner: SandboxUser? = want.contains(.unprivilegedUser) ? user : nil

        let directory: Native.WorkDirectory
        switch Native.makeWorkDirectory(base: baseDirectory, owner: owner) {
        case .success(let made): directory = made
        case .failure(let error): throw error
        }

        var outcome = Native.Outcome()
        var collected: [String: [UInt8]] = [:]
        do {
            for name in request.files.keys.sorted() {
                let mode: UInt32 = request.executableFiles.contains(name) ? 0o755 : 0o644
                let code = Native.putFile(work: directory.work, name: name, bytes: request.files[name] ?? [],
                                          mode: mode, owner: owner)
                if code != 0 { throw SandboxError.fileSetup(name: name, errno: code) }
            }
            let environment = Self.environment(for: request, workDirectory: directory.work)
            outcome = Native.run(Native.Spawn(
                path: Self.resolve(request.executable, path: environment["PATH"]),
                argv: [request.executable] + request.arguments,
                envp: environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" },
                workDirectory: directory.work,
                stdin: request.stdin,
                limits: request.limits,
                user: user,
                want: want,
                required: needed.subtracting(root ? [] : .unprivilegedUser),
                allowNetwork: request.network))
            if outcome.failedStage == 0 {
                for name in request.collect {
                    if let bytes = Native.readFile(work: directory.work, name: name, cap: request.limits.fileSizeBytes) {
                        collected[name] = bytes
                    }
                }
            }
        } catch {
            _ = Native.removeTree(directory.holder)
            throw error
        }
        let removeError = Native.removeTree(directory.holder)

        var held = SandboxIsolation(rawValue: outcome.held)
        if !root { held.insert(.unprivilegedUser) }
        if outcome.failedStage == Native.requiredStage {
            let missing = SandboxIsolation(rawValue: outcome.missing)
            throw SandboxError.isolationUnavailable(
                missing: missing,
                detail: Self.warnings(want: want.union(missing), held: held, outcome: outcome, root: root,
                                      network: request.network).joined(separator: "; "))
        }
        if outcome.failedStage != 0 {
            throw SandboxError.spawnFailed(stage: Native.stageName(outcome.failedStage), errno: outcome.failedErrno)
        }

        var warnings = Self.warnings(want: want, held: held, outcome: outcome, root: root, network: request.network)
        if outcome.leftover > 0 {
            warnings.append("\(outcome.leftover) process(es) of the run were still alive after it ended and were killed")
        }
        if removeError != 0 {
            warnings.append("work directory \(directory.holder) not fully removed: \(Native.errnoName(removeError))")
        }
        let (termination, reason) = Self.classify(outcome, limits: request.limits)
        return SandboxResult(
            termination: termination,
            reason: reason,
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            stdoutTruncated: outcome.stdoutTotal > UInt64(outcome.stdout.count),
            stderrTruncated: outcome.stderrTotal > UInt64(outcome.stderr.count),
            stdoutTotalBytes: outcome.stdoutTotal,
            stderrTotalBytes: outcome.stderrTotal,
            wallSeconds: outcome.wallSeconds,
            cpuSeconds: outcome.cpuSeconds,
            maxRSSBytes: outcome.maxRSSBytes,
            rssBaselineBytes: outcome.rssBaselineBytes,
            collectedFiles: collected,
            isolation: held,
            landlockABI: held.contains(.landlock) ? outcome.landlockABI : 0,
            warnings: warnings,
            leftoverProcesses: outcome.leftover,
            workDirectory: directory.work,
            workDirectoryRemoved: removeError == 0)
    }

    // MARK: - Request handling

    static func validate(_ request: SandboxRequest) throws {
        let limits = request.limits
        guard limits.wallSeconds > 0, limits.wallSeconds.isFinite, limits.cpuSeconds > 0,
              limits.addressSpaceBytes > 0, limits.fileSizeBytes > 0, limits.processes > 0,
              limits.openFiles > 0, limits.outputBytes >= 0
        else { throw SandboxError.invalidRequest("every limit must be positive: \(limits)") }
        guard !request.executable.isEmpty else { throw SandboxError.invalidRequest("empty executable") }
        let strings = [request.executable] + request.arguments + Array(request.environment.keys)
            + Array(request.environment.values) + Array(request.files.keys) + request.collect
        if strings.contains(where: { $0.utf8.contains(0) }) {
            throw SandboxError.invalidRequest("NUL byte in an executable, argument, environment entry or file name")
        }
        if request.environment.keys.contains(where: { $0.isEmpty || $0.contains("=") }) {
            throw SandboxError.invalidRequest("environment names must be non-empty and contain no '='")
        }
        for name in Array(request.files.keys) + request.collect where !isSafeRelativePath(name) {
            throw SandboxError.invalidRequest("file name \(name) must be relative without '.' or '..' components")
        }
        for name in request.executableFiles where request.files[name] == nil {
            throw SandboxError.invalidRequest("executable file \(name) is not among the request's files")
        }
    }

    static func isSafeRelativePath(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), name.utf8.count < 4096 else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && $0.utf8.count <= 255 }
    }

    static func environment(for request: SandboxRequest, workDirectory: String) -> [String: String] {
        var environment = request.environment
        // Compilers put temporaries in TMPDIR; /tmp is outside the writable area.
        if environment["HOME"] == nil { environment["HOME"] = workDirectory }
        if environment["TMPDIR"] == nil { environment["TMPDIR"] = workDirectory }
        return environment
    }

    /// PATH lookup in the caller, because execvpe is not safe between fork and exec.
    static func resolve(_ executable: String, path: String?) -> String {
        guard !executable.contains("/") else { return executable }
        for directory in (path ?? "").split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(executable)"
            if Native.isExecutable(candidate) { return candidate }
        }
        return executable  // exec fails with ENOENT and run throws spawnFailed
    }

    // MARK: - Outcome interpretation

    static func warnings(want: SandboxIsolation, held: SandboxIsolation, outcome: Native.Outcome,
                         root: Bool, network: Bool) -> [String] {
        var notes: [String] = []
        if want.contains(.networkNamespace), !held.contains(.networkNamespace) {
            let fallback = outcome.landlockNet && held.contains(.landlock)
                ? "only TCP bind/connect is denied (Landlock); UDP and raw traffic are not"
                : "the program can use the host network"
            notes.append("no network namespace (\(Native.errnoName(outcome.netnsErrno))): \(fallback)")
        }
        if want.contains(.pidNamespace), !held.contains(.pidNamespace) {
            notes.append("no PID namespace (\(Native.errnoName(outcome.pidnsErrno))): descendants are tracked "
                + "by a subreaper supervisor; one that outlives the supervisor's own SIGKILL can survive")
        }
        if want.contains(.landlock), !held.contains(.landlock) {
            let guardText = held.contains(.unprivilegedUser)
                ? "only file permissions of the unprivileged uid guard writes (world-writable paths such as /tmp are open)"
                : "only file permissions guard writes"
            notes.append("Landlock not applied (\(Native.errnoName(outcome.landlockErrno))): \(guardText)")
        } else if held.contains(.landlock), !network, !held.contains(.networkNamespace), !outcome.landlockNet {
            notes.append("Landlock ABI \(outcome.landlockABI) cannot restrict TCP (needs ABI 4)")
        }
        if root, !held.contains(.unprivilegedUser) {
            notes.append("the program runs as root: RLIMIT_NPROC is not enforced and permissions do not confine writes")
        }
        return notes
    }

    static func classify(_ outcome: Native.Outcome, limits: SandboxLimits) -> (SandboxTermination, String) {
        // RLIMIT_AS failures surface as NULL from malloc and then SIGSEGV, abort() or an error exit;
        // a peak RSS of at least half the limit is taken as evidence that the limit was the cause.
        // A peak not above the inherited pre-exec image is not the program's, so it proves nothing.
        let ownPeak = outcome.maxRSSBytes > outcome.rssBaselineBytes
        let peak = ownPeak ? mebibytes(outcome.maxRSSBytes) : "≤ \(mebibytes(outcome.rssBaselineBytes)) (not measurable)"
        let memoryNote = "address-space limit \(mebibytes(limits.addressSpaceBytes)), peak RSS \(peak)"
        let nearMemoryLimit = ownPeak && outcome.maxRSSBytes >= limits.addressSpaceBytes / 2

        if outcome.timedOut, !outcome.haveStatus || (!outcome.exited && outcome.termSignal == SIGKILL) {
            return (.timedOut, "still running after the wall-clock limit of \(seconds(limits.wallSeconds)); "
                + "its process tree was killed")
        }
        guard outcome.haveStatus else {
            return (.signaled(SIGKILL), "the supervisor was lost; the program's status is unknown and it was killed")
        }
        if outcome.exited {
            let code = outcome.exitCode
            if code != 0, nearMemoryLimit {
                return (.memoryLimit, "exited with status \(code) at the memory limit (\(memoryNote))")
            }
            return (.exited(code), "exited with status \(code)")
        }
        let signal = outcome.termSignal
        let name = signalName(signal)
        switch signal {
        case SIGXCPU:
            return (.cpuLimit, "CPU limit of \(limits.cpuSeconds) s exceeded (SIGXCPU after \(seconds(outcome.cpuSeconds)) CPU)")
        case SIGKILL where outcome.cpuSeconds >= Double(limits.cpuSeconds):
            return (.cpuLimit, "CPU limit of \(limits.cpuSeconds) s exceeded (SIGKILL at the hard limit)")
        case SIGXFSZ:
            return (.fileSizeLimit, "file size limit of \(mebibytes(limits.fileSizeBytes)) exceeded (SIGXFSZ)")
        case SIGSEGV, SIGBUS, SIGABRT, SIGKILL:
            if nearMemoryLimit {
                return (.memoryLimit, "killed by \(name) at the memory limit (\(memoryNote))")
            }
            let hint = signal == SIGKILL ? "" : "; if this was a failed allocation: \(memoryNote)"
            return (.signaled(signal), "killed by \(name)\(hint)")
        default:
            return (.signaled(signal), "killed by \(name)")
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
            SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[signal] ?? "signal \(signal)"
    }

    private static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10) MiB"
    }

    private static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(millis % 1000 + 1000).dropFirst()) s"
    }
}

/// What isolation this machine provides to the current process, probed by spawning trivial children.
public struct SandboxCapabilities: Sendable, Equatable, CustomStringConvertible {
    /// Landlock ABI version; 0 when the kernel lacks Landlock or it is disabled.
    public var landlockABI: Int
    /// A network namespace can be created (via a user namespace when not root).
    public var networkNamespace: Bool
    /// A PID namespace can be created (via a user namespace when not root).
    public var pidNamespace: Bool
    /// The namespaces above need an unprivileged user namespace (caller is not root).
    public var namespacesViaUserNamespace: Bool
    /// Running as root, so runs drop to `SandboxUser` and RLIMIT_NPROC binds.
    public var dropsPrivileges: Bool
    /// pidfd_open works, so the parent waits on the supervisor without polling.
    public var pidfd: Bool

    /// Probes the kernel; costs two short-lived child processes.
    public static func detect() -> SandboxCapabilities {
        let caps = Native.probe()
        return SandboxCapabilities(
            landlockABI: Int(caps.landlock_abi),
            networkNamespace: caps.netns != 0,
            pidNamespace: caps.pidns != 0,
            namespacesViaUserNamespace: caps.needs_userns != 0,
            dropsPrivileges: caps.is_root != 0,
            pidfd: caps.pidfd != 0)
    }

    /// One line per mechanism, stating whether it holds.
    public var description: String {
        let via = namespacesViaUserNamespace ? " (via user namespace)" : ""
        return """
            landlock: \(landlockABI > 0 ? "yes, ABI \(landlockABI)" : "no")
            network namespace: \(networkNamespace ? "yes" + via : "no")
            pid namespace: \(pidNamespace ? "yes" + via : "no")
            uid drop: \(dropsPrivileges ? "yes (running as root)" : "no (not root; runs keep the caller's uid)")
            pidfd: \(pidfd ? "yes" : "no")
            """
    }
}

// Value types of the Sandbox module. No unsafe code here: see Native.swift.

/// Hard resource limits for one run; `SandboxLimits()` is the single home of every default.
public struct SandboxLimits: Sendable, Equatable {
    /// Wall-clock budget; when it passes, every process of the run is SIGKILLed.
    public var wallSeconds: Double
    /// RLIMIT_CPU per process (soft; the hard limit is one second later).
    public var cpuSeconds: Int
    /// RLIMIT_AS per process; allocation beyond it fails inside the program.
    public var addressSpaceBytes: Int
    /// RLIMIT_FSIZE: largest file the program may write.
    public var fileSizeBytes: Int
    /// RLIMIT_NPROC: processes (and threads) of the sandbox uid, counted machine-wide.
    public var processes: Int
    /// RLIMIT_NOFILE: descriptors per process.
    public var openFiles: Int
    /// Bytes kept of stdout and of stderr each; the rest is read and discarded so the program never blocks.
    public var outputBytes: Int

    /// Defaults sized for compiling and running one translated kernel.
    public init(
        wallSeconds: Double = 10,
        cpuSeconds: Int = 10,
        addressSpaceBytes: Int = 1 << 30,
        fileSizeBytes: Int = 64 << 20,
        processes: Int = 64,
        openFiles: Int = 256,
        outputBytes: Int = 1 << 20
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.fileSizeBytes = fileSizeBytes
        self.processes = processes
        self.openFiles = openFiles
        self.outputBytes = outputBytes
    }
}

/// Isolation mechanisms: what a `Sandbox` attempts or requires, and what a result reports as held.
public struct SandboxIsolation: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// Bit pattern shared with the C shim's CSB_ISO_* constants.
    public let rawValue: UInt32
    /// Creates a set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Private network namespace: no interface is up, not even loopback.
    public static let networkNamespace = SandboxIsolation(rawValue: 1 << 0)
    /// Private PID namespace: when the program exits, everything it started dies, setsid daemons included.
    public static let pidNamespace = SandboxIsolation(rawValue: 1 << 1)
    /// Landlock: writes only beneath the work dir (and /dev/null); with ABI ≥ 4 no TCP bind/connect, ≥ 6 no signals out.
    public static let landlock = SandboxIsolation(rawValue: 1 << 2)
    /// The program does not run as root (dropped to `SandboxUser`, or the caller was never root).
    public static let unprivilegedUser = SandboxIsolation(rawValue: 1 << 3)
    /// Every mechanism.
    public static let all: SandboxIsolation = [.networkNamespace, .pidNamespace, .landlock, .unprivilegedUser]

    /// Names of the members, for logs and reasons.
    public var description: String {
        let names: [(SandboxIsolation, String)] = [
            (.networkNamespace, "networkNamespace"), (.pidNamespace, "pidNamespace"),
            (.landlock, "landlock"), (.unprivilegedUser, "unprivilegedUser"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return "[" + present.joined(separator: ", ") + "]"
    }
}

/// The identity a root caller drops to before exec.
public struct SandboxUser: Sendable, Equatable {
    /// Numeric uid; need not exist in /etc/passwd.
    public var uid: UInt32
    /// Numeric gid; supplementary groups are always cleared.
    public var gid: UInt32
    /// Creates an identity.
    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
    /// uid/gid 65534, "nobody".
    public static let nobody = SandboxUser(uid: 65534, gid: 65534)
}

/// One program to run and what to give it.
public struct SandboxRequest: Sendable {
    /// Path to execve; a bare name is searched in the request's PATH, a relative path is relative to the work dir.
    public var executable: String
    /// argv[1...]; argv[0] is `executable`.
    public var arguments: [String]
    /// The complete environment; HOME and TMPDIR are added pointing at the work dir unless set here.
    public var environment: [String: String]
    /// Bytes on the program's stdin (from a sealed memory file, so it never blocks on us).
    public var stdin: [UInt8]
    /// Files placed in the work dir before the run, keyed by relative path ("a/b.c" creates "a").
    public var files: [String: [UInt8]]
    /// Names from `files` that get mode 0755 instead of 0644.
    public var executableFiles: Set<String>
    /// Relative paths of regular files to copy out of the work dir afterwards (symlinks are never followed).
    public var collect: [String]
    /// Resource limits.
    public var limits: SandboxLimits
    /// Whether the program may use the host network (no network namespace, no Landlock TCP rules).
    public var network: Bool

    /// PATH=/usr/bin:/bin and LANG=C: nothing from the caller leaks in.
    public static let minimalEnvironment: [String: String] = ["PATH": "/usr/bin:/bin", "LANG": "C"]

    /// Creates a request with a minimal environment and no network.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = SandboxRequest.minimalEnvironment,
        stdin: [UInt8] = [],
        files: [String: [UInt8]] = [:],
        executableFiles: Set<String> = [],
        collect: [String] = [],
        limits: SandboxLimits = SandboxLimits(),
        network: Bool = false
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.stdin = stdin
        self.files = files
        self.executableFiles = executableFiles
        self.collect = collect
        self.limits = limits
        self.network = network
    }
}

/// How the program ended.
public enum SandboxTermination: Sendable, Equatable {
    /// Exited on its own with this status.
    case exited(Int32)
    /// Killed by this signal, for a reason not covered by a more specific case.
    case signaled(Int32)
    /// Still running at the wall-clock limit; killed with its whole process tree.
    case timedOut
    /// Hit RLIMIT_CPU (SIGXCPU, or SIGKILL at the hard limit).
    case cpuLimit
    /// Died abnormally (signal or nonzero exit) after its own peak RSS reached half of RLIMIT_AS: taken as an allocation failure.
    case memoryLimit
    /// Hit RLIMIT_FSIZE (SIGXFSZ).
    case fileSizeLimit
}

/// Everything observed about one run.
public struct SandboxResult: Sendable {
    /// How the program ended.
    public var termination: SandboxTermination
    /// One sentence explaining `termination`, mentioning the limit involved.
    public var reason: String
    /// Captured stdout, at most `limits.outputBytes`.
    public var stdout: [UInt8]
    /// Captured stderr, at most `limits.outputBytes`.
    public var stderr: [UInt8]
    /// The program wrote more to stdout than was kept.
    public var stdoutTruncated: Bool
    /// The program wrote more to stderr than was kept.
    public var stderrTruncated: Bool
    /// Total bytes the program wrote to stdout, kept or not.
    public var stdoutTotalBytes: UInt64
    /// Total bytes the program wrote to stderr, kept or not.
    public var stderrTotalBytes: UInt64
    /// Wall-clock time from spawn to the end of cleanup of the process tree.
    public var wallSeconds: Double
    /// User + system CPU of the program and the descendants it waited for (wait4 rusage); 0 if unknown.
    public var cpuSeconds: Double
    /// Peak RSS from wait4 (program or largest waited-for descendant). Linux folds the pre-exec image,
    /// a copy of the caller's anonymous memory, into it: at or below `rssBaselineBytes` it bounds the
    /// program's peak from above rather than measuring it.
    public var maxRSSBytes: Int
    /// Resident size of the spawned process just before exec.
    public var rssBaselineBytes: Int
    /// Contents of the requested `collect` files that existed as regular files (each capped at `fileSizeBytes`).
    public var collectedFiles: [String: [UInt8]]
    /// Mechanisms that were actually in force when the program started.
    public var isolation: SandboxIsolation
    /// Landlock ABI the rules were built for; 0 when Landlock was not used.
    public var landlockABI: Int
    /// Every wanted mechanism that did not hold and every cleanup problem, in words; empty when all is well.
    public var warnings: [String]
    /// Processes of the run found alive after it ended (they were killed); 0 unless something is wrong.
    public var leftoverProcesses: Int
    /// Where the program ran; already deleted unless `workDirectoryRemoved` is false.
    public var workDirectory: String
    /// Whether the work directory was deleted.
    public var workDirectoryRemoved: Bool
}

/// Failures to set up a run; nothing the program does is ever reported this way.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request itself is unusable (bad file name, NUL byte, non-positive limit).
    case invalidRequest(String)
    /// The work directory could not be created under the base directory.
    case workDirectory(base: String, errno: Int32)
    /// A request file could not be placed in the work directory.
    case fileSetup(name: String, errno: Int32)
    /// The program could not be started; `stage` names the failing step (e.g. "exec").
    case spawnFailed(stage: String, errno: Int32)
    /// A mechanism in `Sandbox.required` could not be applied; the program was not started.
    case isolationUnavailable(missing: SandboxIsolation, detail: String)

    /// Human-readable explanation.
    public var description: String {
        switch self {
        case .invalidRequest(let message):
            return "invalid sandbox request: \(message)"
        case .workDirectory(let base, let code):
            return "cannot create a work directory under \(base): \(Native.errnoName(code))"
        case .fileSetup(let name, let code):
            return "cannot place \(name) in the work directory: \(Native.errnoName(code))"
        case .spawnFailed(let stage, let code):
            return "cannot start the program (\(stage)): \(Native.errnoName(code))"
        case .isolationUnavailable(let missing, let detail):
            return "required isolation \(missing) unavailable: \(detail)"
        }
    }
}

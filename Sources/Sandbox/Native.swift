// The only Swift file with unsafe pointer code: marshalling to and from CSandbox.
// Everything here trusts only the C shim's bounded outputs, never raw child data.

import CSandbox

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin, safe wrappers over the C shim.
enum Native {
    struct WorkDirectory {
        /// Root-owned 0711 directory that is deleted as a whole.
        let holder: String
        /// The program's own directory inside `holder`.
        let work: String
    }

    /// What csb_run observed, copied out of C memory.
    struct Outcome {
        var failedStage: Int32 = 0
        var failedErrno: Int32 = 0
        var held: UInt32 = 0
        var missing: UInt32 = 0
        var landlockABI: Int = 0
        var landlockNet = false
        var landlockErrno: Int32 = 0
        var netnsErrno: Int32 = 0
        var pidnsErrno: Int32 = 0
        var haveStatus = false
        var exited = false
        var exitCode: Int32 = 0
        var termSignal: Int32 = 0
        var timedOut = false
        var supervisorLost = false
        var wallSeconds: Double = 0
        var cpuSeconds: Double = 0
        var maxRSSBytes: Int = 0
        var rssBaselineBytes: Int = 0
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var stdoutTotal: UInt64 = 0
        var stderrTotal: UInt64 = 0
        var leftover: Int = 0
    }

    static var isRoot: Bool { geteuid() == 0 }

    static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    static func errnoName(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }

    static func probe() -> csb_caps {
        var caps = csb_caps()
        csb_probe(&caps)
        return caps
    }

    static func makeWorkDirectory(base: String, owner: SandboxUser?) -> Result<WorkDirectory, SandboxError> {
        let capacity = 4096
        var holder = [CChar](repeating: 0, count: capacity)
        var work = [CChar](repeating: 0, count: capacity)
        let rc = holder.withUnsafeMutableBufferPointer { h in
            work.withUnsafeMutableBufferPointer { w in
                csb_make_workdir(base, owner == nil ? 0 : 1, owner?.uid ?? 0, owner?.gid ?? 0,
                                 h.baseAddress, capacity, w.baseAddress, capacity)
            }
        }
        guard rc == 0 else { return .failure(.workDirectory(base: base, errno: -rc)) }
        return .success(WorkDirectory(holder: string(from: holder), work: string(from: work)))
    }

    /// 0 or an errno.
    static func putFile(work: String, name: String, bytes: [UInt8], mode: UInt32, owner: SandboxUser?) -> Int32 {
        let rc = bytes.withUnsafeBufferPointer { buf in
            csb_put_file(work, name, buf.baseAddress, buf.count, mode,
                         owner == nil ? 0 : 1, owner?.uid ?? 0, owner?.gid ?? 0)
        }
        return -rc
    }

    /// The file's bytes, or nil if it is missing or not a regular file reachable without symlinks.
    static func readFile(work: String, name: String, cap: Int) -> [UInt8]? {
        var data: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        var truncated: Int32 = 0
        let rc = csb_read_file(work, name, max(cap, 0), &data, &length, &truncated)
        defer { free(data) }
        guard rc == 0, let data else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    /// 0 or an errno.
    static func removeTree(_ path: String) -> Int32 {
        -csb_remove_tree(path)
    }

    struct Spawn {
        var path: String
        var argv: [String]
        var envp: [String]
        var workDirectory: String
        var stdin: [UInt8]
        var limits: SandboxLimits
        var user: SandboxUser
        var want: SandboxIsolation
        var required: SandboxIsolation
        var allowNetwork: Bool
    }

    static func run(_ spawn: Spawn) -> Outcome {
        let cap = max(spawn.limits.outputBytes, 0)
        let outBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(cap, 1))
        let errBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(cap, 1))
        defer {
            outBuffer.deallocate()
            errBuffer.deallocate()
        }
        var raw = csb_outcome()
        withCStringArray(spawn.argv) { argv in
            withCStringArray(spawn.envp) { envp in
                spawn.stdin.withUnsafeBufferPointer { input in
                    spawn.path.withCString { path in
                        spawn.workDirectory.withCString { workdir in
                            var cfg = csb_config()
                            cfg.path = path
                            cfg.argv = argv
                            cfg.envp = envp
                            cfg.workdir = workdir
                            cfg.stdin_data = input.baseAddress
                            cfg.stdin_len = input.count
                            cfg.wall_seconds = spawn.limits.wallSeconds
                            cfg.cpu_seconds = Int64(spawn.limits.cpuSeconds)
                            cfg.as_bytes = Int64(spawn.limits.addressSpaceBytes)
                            cfg.fsize_bytes = Int64(spawn.limits.fileSizeBytes)
                            cfg.nproc = Int64(spawn.limits.processes)
                            cfg.nofile = Int64(spawn.limits.openFiles)
                            cfg.uid = spawn.user.uid
                            cfg.gid = spawn.user.gid
                            cfg.want = spawn.want.rawValue
                            cfg.required = spawn.required.rawValue
                            cfg.allow_network = spawn.allowNetwork ? 1 : 0
                            cfg.out_buf = outBuffer
                            cfg.out_cap = cap
                            cfg.err_buf = errBuffer
                            cfg.err_cap = cap
                            _ = csb_run(&cfg, &raw)
                        }
                    }
                }
            }
        }
        var outcome = Outcome()
        outcome.failedStage = raw.failed_stage
        outcome.failedErrno = raw.failed_errno
        outcome.held = raw.held
        outcome.missing = raw.missing
        outcome.landlockABI = Int(raw.landlock_abi)
        outcome.landlockNet = raw.landlock_net != 0
        outcome.landlockErrno = raw.landlock_errno
        outcome.netnsErrno = raw.netns_errno
        outcome.pidnsErrno = raw.pidns_errno
        outcome.haveStatus = raw.have_status != 0
        outcome.exited = raw.exited != 0
        outcome.exitCode = raw.exit_code
        outcome.termSignal = raw.term_signal
        outcome.timedOut = raw.timed_out != 0
        outcome.supervisorLost = raw.supervisor_lost != 0
        outcome.wallSeconds = raw.wall_seconds
        outcome.cpuSeconds = raw.user_seconds + raw.system_seconds
        outcome.maxRSSBytes = Int(clamping: raw.max_rss_bytes)
        outcome.rssBaselineBytes = Int(clamping: raw.rss_baseline_bytes)
        // The C side never reports more than the capacity it was given; clamp anyway.
        outcome.stdout = Array(UnsafeBufferPointer(start: outBuffer, count: min(raw.out_len, cap)))
        outcome.stderr = Array(UnsafeBufferPointer(start: errBuffer, count: min(raw.err_len, cap)))
        outcome.stdoutTotal = raw.out_total
        outcome.stderrTotal = raw.err_total
        outcome.leftover = Int(raw.leftover)
        return outcome
    }

    /// Stage number from CSandbox.h as a word for errors and reasons.
    static func stageName(_ stage: Int32) -> String {
        switch stage {
        case Int32(CSB_STAGE_PIPES): return "pipes"
        case Int32(CSB_STAGE_STDIN): return "stdin"
        case Int32(CSB_STAGE_CLONE): return "clone"
        case Int32(CSB_STAGE_SUPERVISOR): return "supervisor"
        case Int32(CSB_STAGE_FORK): return "fork"
        case Int32(CSB_STAGE_SESSION): return "setsid"
        case Int32(CSB_STAGE_RLIMIT): return "setrlimit"
        case Int32(CSB_STAGE_DROP): return "uid drop"
        case Int32(CSB_STAGE_CHDIR): return "chdir"
        case Int32(CSB_STAGE_REQUIRED): return "required isolation"
        case Int32(CSB_STAGE_EXEC): return "exec"
        default: return "stage \(stage)"
        }
    }

    static let requiredStage = Int32(CSB_STAGE_REQUIRED)

    private static func string(from buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calls body with a NULL-terminated char* array that lives for the duration of the call.
    private static func withCStringArray<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
